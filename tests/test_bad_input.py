"""Bad input and faults through the real command line: one clear sentence naming the file, key or
model, the right exit code, no traceback without --debug, and no output file left half-written.

Most cases call `pipeline.cli.main` in this process (the CLI itself: parsing, error mapping, exit
codes), so that torch is imported once and faults such as a full disk can be injected; a few run
`python -m pipeline` in a child process with the network off, to hold the same for the real entry
point. The missing-model-offline case is tests/test_cli.py::test_missing_model_offline_fails_fast_with_the_fix.
"""

from __future__ import annotations

import ast
import errno
import functools
import json
import os
import random
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ModelError, OutputError
from pipeline.io import MAX_NAME_BYTES, inside, safe_name, write_atomic
from tests.conftest import ROOT, SAMPLES

ARTICLE = "قال الوزير إن الوضع مستقر. وأضاف أن القوات جاهزة.\nفقرة ثانية عن بغداد.\n"
SEGMENT_ONLY = ["--stages", "segment", "--format", "json"]  # text kept exactly as read
FAST = ["--set", "generation.num_beams=1", "--set", "generation.max_new_tokens=8", "--set", "transformers.threads=1"]
ARABIC = re.compile(r"[\u0621-\u064a]")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """`tarjama ARGS` through pipeline.cli.main in this process; returns its exit code and output."""
    # main() quietens the libraries through these; set here, they are undone after the test.
    for key, value in (("TRANSFORMERS_VERBOSITY", "error"), ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
                       ("TOKENIZERS_PARALLELISM", "false")):
        monkeypatch.setenv(key, value)

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


def error_line(result: Result, code: int, *needles: str) -> str:
    """The run failed with `code` and one error sentence holding every needle, no traceback,
    nothing on stdout, and nothing else on stderr but tarjama's own warnings."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("tarjama: error: ")]
    assert len(errors) == 1, result.stderr
    assert all(line.startswith(("tarjama: error: ", "tarjama: warning: ")) for line in lines), result.stderr
    message = errors[0]
    assert message.endswith(".") and ". " not in message.removesuffix("."), f"not one sentence: {message}"
    for needle in needles:
        assert needle in message, message
    return message


def nothing_written(out: Path) -> None:
    assert not out.exists(), f"{out} was written"
    folder = out.parent if out.parent.is_dir() else out.parent.parent
    assert not [p for p in folder.glob(".*.tmp")], "a temporary file of an atomic write was left behind"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def zip_bytes(tmp_path: Path) -> bytes:
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
        archive.writestr("article.txt", ARTICLE)
    return (tmp_path / "a.zip").read_bytes()


def latin1_mojibake(text: str) -> str:
    """UTF-8 Arabic misread as Latin-1: every byte a character (Ø, Ù and C1 controls)."""
    return text.encode("utf-8").decode("latin-1")


def json_doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# -- 1. input files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "code", "needles"),
    [
        (None, 2, ["does not exist"]),
        ("dir", 2, ["is a directory"]),
        (b"", 1, ["is empty"]),
        (b"  \n\t\n\r\n \xc2\xa0\n", 1, ["is empty"]),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, 1, ["is a PNG image, not text"]),
        (zip_bytes, 1, ["is a zip archive"]),
        (b"abc\x00\x01\x02def\x00" * 20, 1, ["binary"]),
        (ARTICLE.encode("utf-8")[:-9] + b"\xff\xfe\xfd" + ARTICLE.encode("utf-8"), 1, ["damaged UTF-8"]),
        ("Café résumé naïve, déjà vu à Genève.\n".encode("latin-1"), 1, ["neither UTF-8 nor"]),
        (ARTICLE.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"), 1,
         ["mojibake", "cannot be repaired"]),
    ],
    ids=["missing", "directory", "empty", "whitespace-only", "png", "zip", "nul-bytes", "damaged-utf8",
         "latin-1-not-arabic", "mojibake-with-lost-bytes"],
)
def test_unreadable_input_is_one_error_naming_the_file(cli, tmp_path, make, code, needles):
    path = tmp_path / "article.txt"
    if make == "dir":
        path.mkdir()
    elif callable(make):
        write(path, make(tmp_path))
    elif make is not None:
        write(path, make)
    out = tmp_path / "out" / "doc.json"
    result = cli("translate", path, "--stages", "normalize,segment", "-o", out)
    error_line(result, code, str(path), *needles)
    nothing_written(out)


@pytest.mark.parametrize(
    ("data", "encoding", "warning"),
    [
        (ARTICLE.encode("cp1256"), "windows-1256", "is Windows-1256"),
        (ARTICLE.encode("utf-16"), "utf-16", "is UTF-16"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le", "is UTF-16"),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig", "byte-order mark"),
        (latin1_mojibake(ARTICLE).encode("utf-8"), "utf-8", "mojibake"),
    ],
    ids=["windows-1256", "utf-16-bom", "utf-16-le-no-bom", "utf-8-bom", "latin-1-mojibake"],
)
def test_other_encodings_are_decoded_with_a_warning(cli, tmp_path, data, encoding, warning):
    path = write(tmp_path / "article.txt", data)
    out = tmp_path / "doc.json"
    result = cli("translate", path, *SEGMENT_ONLY, "-o", out)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("tarjama: warning: ")]
    assert len(warnings) == 1 and warning in warnings[0] and str(path) in warnings[0], result.stderr
    doc = json_doc(out)
    assert doc["text"] == ARTICLE  # decoded (or repaired) exactly
    assert doc["source"]["encoding"] == encoding
    assert [s["text"] for s in doc["sentences"]] == ["قال الوزير إن الوضع مستقر.", "وأضاف أن القوات جاهزة.",
                                                     "فقرة ثانية عن بغداد."]


@pytest.fixture
def model_calls(monkeypatch):
    """Every text the transformers backend sends to the model, with what came back."""
    from pipeline.backends.transformers_backend import TransformersBackend

    calls: dict[str, str] = {}
    real = TransformersBackend._generate

    def recording(self, texts, settings):
        results = real(self, texts, settings)
        calls.update({t: r.text for t, r in zip(texts, results, strict=True)})
        return results

    monkeypatch.setattr(TransformersBackend, "_generate", recording)
    return calls


def test_text_without_arabic_is_passed_through_with_a_notice_not_fed_to_the_model(
        cli, tmp_path, tiny_model_dir, model_calls):
    english = ("The minister said the talks would resume next week.\n"
               "Reuters could not reach the spokesman for comment.\n")
    path = write(tmp_path / "english.txt", english)
    out = tmp_path / "doc.json"
    result = cli("translate", path, "--model", tiny_model_dir, *FAST, "-o", out)
    assert result.returncode == 0, result.stderr
    assert f"tarjama: warning: {path} contains no Arabic text; it is passed through" in result.stderr
    doc = json_doc(out)
    assert len(doc["sentences"]) == 2
    assert all(s["translation"] == s["text"] for s in doc["sentences"])
    assert " ".join(s["translation"] for s in doc["sentences"]) == " ".join(english.split("\n")).strip()
    assert model_calls == {}  # the tiny model turns anything it is given into other English


@pytest.mark.parametrize("strip_boilerplate", [True, False])
def test_english_urls_numbers_and_emails_are_kept_and_only_arabic_is_translated(
        cli, tmp_path, tiny_model_dir, model_calls, strip_boilerplate):
    kept = ["The talks were held in Geneva.", "https://www.example.com/news/2024/05/article-123.html", "2024.",
            "press.office@example.org"]
    alone = ["https://www.example.com/about", "2024", "+964 770 123 4567", "desk@example.org"]  # whole lines
    arabic = ["قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل.", "التفاصيل على الموقع.",
              "وبلغ عدد الضحايا حتى الآن.", "وللتواصل مع المكتب.",
              "قال مدير شركة Apple إن الشركة ستفتح مكتبا في بغداد."]
    text = (f"{arabic[0]} {kept[0]} {arabic[1]} {kept[1]}\n{arabic[2]} {kept[2]} {arabic[3]} {kept[3]}\n"
            + "".join(f"{line}\n" for line in alone) + f"{arabic[4]}\n")
    path = write(tmp_path / "mixed.txt", text)
    out = tmp_path / "doc.json"
    result = cli("translate", path, "--model", tiny_model_dir, *FAST,
                 "--set", f"normalize.strip_boilerplate={str(strip_boilerplate).lower()}", "-o", out)
    assert result.returncode == 0, result.stderr
    doc = json_doc(out)
    sentences = {s["text"]: s["translation"] for s in doc["sentences"]}
    if strip_boilerplate:  # lines of nothing but a link or a number are site chrome: moved, word for word
        assert [r["text"] for r in doc["meta"]["removed"]] == alone
        assert set(sentences) == set(kept) | set(arabic)
    else:
        assert set(sentences) == set(kept) | set(alone) | set(arabic)
    for line in set(sentences) - set(arabic):
        assert sentences[line] == line
    for line in arabic:
        assert sentences[line] and sentences[line] != line and not ARABIC.search(sentences[line])
    assert set(model_calls) <= set(arabic)  # nothing without Arabic reached the model


def test_a_5000_word_sentence_is_chunked_and_every_chunk_translated(cli, tmp_path, tiny_model_dir, model_calls):
    from transformers import AutoTokenizer

    vocabulary = sorted(set(ARABIC_WORD.findall((SAMPLES / "naas-coalition-bases.ar.txt").read_text("utf-8"))))
    rng = random.Random(5000)
    words = [rng.choice(vocabulary) for _ in range(5000)]
    path = write(tmp_path / "long.txt", " ".join(words) + "\n")
    out = tmp_path / "doc.json"
    result = cli("translate", path, "--model", tiny_model_dir, *FAST, "--set", "generation.batch_size=32", "-o", out)
    assert result.returncode == 0, result.stderr
    doc = json_doc(out)
    (sentence,) = doc["sentences"]
    chunks = [doc["text"][a:b] for a, b in sentence["chunks"]]
    assert len(chunks) > 10
    assert len(doc["text"].split()) == len(words) == 5000  # normalize drops tatweel, never a word
    assert " ".join(chunks).split() == doc["text"].split()  # in order, nothing lost, twice or cut
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    assert max(len(tokenizer(c).input_ids) for c in chunks) <= 200  # generation.max_chunk_tokens
    assert all(model_calls.get(c) for c in chunks)  # every chunk went to the model and came back
    assert sentence["translation"] == " ".join(model_calls[c] for c in chunks)


ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")


def test_a_20_mb_file_is_refused_naming_the_key_that_raises_the_limit(cli, tmp_path):
    path = tmp_path / "dump.txt"
    with path.open("wb") as handle:
        block = ARTICLE.encode("utf-8") * 1000
        while handle.tell() < 21_000_000:
            handle.write(block)
    out = tmp_path / "doc.json"
    result = cli("translate", path, "--stages", "normalize,segment", "-o", out)
    error_line(result, 1, str(path), "over the limit of 20 MB", "`max_input_mb`", "--set max_input_mb=22")
    nothing_written(out)


def test_the_input_limit_is_a_config_key(cli, tmp_path):
    path = write(tmp_path / "article.txt", ARTICLE * 20)  # 2 kB
    config = write(tmp_path / "small.yaml", "extends: " + str(ROOT / "configs" / "default.yaml") +
                   "\nmax_input_mb: 0.001\n")
    error_line(cli("translate", path, "-c", config, *SEGMENT_ONLY), 1, "over the limit of 0.001 MB", "max_input_mb")
    result = cli("translate", path, "-c", config, "--set", "max_input_mb=0.01", *SEGMENT_ONLY)
    assert result.returncode == 0, result.stderr
    assert json_doc_from(result)["text"] == ARTICLE * 20
    error_line(cli("translate", path, "--set", "max_input_mb=0", *SEGMENT_ONLY), 2, "max_input_mb", "above 0")


def test_a_device_without_end_is_read_within_the_limit(cli):
    result = cli("translate", "/dev/zero", "--set", "max_input_mb=0.001", *SEGMENT_ONLY)
    error_line(result, 1, "/dev/zero is over the limit of 0.001 MB")


def json_doc_from(result: Result) -> dict:
    return json.loads(result.stdout)


# -- 2. config -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "args", "needles"),
    [
        ({"c.yaml": "translate:\n  num_beams: [1, 2\nsegment: {}\n"}, [], ["not valid YAML at line 3, column 8"]),
        ({"c.yaml": "translate:\n  num_beam: 2\n"}, [], ["unknown key 'translate.num_beam'",
                                                         "(did you mean 'generation.num_beams'?)"]),
        ({"c.yaml": "max_input_md: 5\n"}, [], ["unknown key 'max_input_md'", "(did you mean 'max_input_mb'?)"]),
        ({"c.yaml": "translate:\n  num_beams: many\n"}, [], ["key 'generation.num_beams' must be an integer, not 'many'"]),
        ({"c.yaml": "max_input_mb: lots\n"}, [], ["key 'max_input_mb' must be a number"]),
        ({"c.yaml": "stages: [normalize, segmnt]\n"}, [], ["unknown stage 'segmnt' (did you mean 'segment'?)"]),
        ({"c.yaml": "stages: [normalize, segment, quotes, align, translate]\n"}, [],
         ["'align' needs translations", "put 'translate' before 'align'"]),
        ({"c.yaml": "extends: b.yaml\n", "b.yaml": "extends: c.yaml\n"}, [],
         ["extend each other in a loop (c.yaml -> b.yaml -> c.yaml)"]),
        ({"c.yaml": "model: x\n"}, ["--set", "generation.num_beams=two"], ["key 'generation.num_beams' must be an integer",
                                                                          "--set generation.num_beams=two (on the command line)"]),
        ({"c.yaml": "model: x\n"}, ["--stages", "normalize,translate,segment"], ["'translate' needs sentences"]),
        ({"c.yaml": "model: x\n"}, ["--bogus"], ["unrecognized arguments: --bogus"]),
    ],
    ids=["malformed-yaml", "unknown-key", "unknown-top-key", "wrong-type", "wrong-type-limit", "unknown-stage",
         "align-before-translate", "extends-loop", "bad-set", "bad-stages-order", "unknown-option"],
)
def test_config_mistakes_exit_2_naming_the_key(cli, tmp_path, files, args, needles):
    for name, text in files.items():
        write(tmp_path / name, text)
    article = write(tmp_path / "article.txt", ARTICLE)
    out = tmp_path / "doc.json"
    result = cli("translate", article, "-c", tmp_path / "c.yaml", *args, "-o", out)
    message = error_line(result, 2, *needles)
    typed = next((a for a in args if a in ("--set", "--stages", "--model", "--backend")), None)
    if typed is not None:  # a mistake made with an option is the command line's
        assert f"{typed}" in message and "(on the command line)" in message and "c.yaml" not in message
    elif "--bogus" not in args:
        assert "c.yaml" in message
    nothing_written(out)


# -- 3. models -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_models(tiny_model_dir, tmp_path_factory):
    """Model folders that must be refused: truncated weights, no weights, garbage config.json, a
    BERT (not seq2seq), and a Marian whose tokenizer has more tokens than its embedding."""
    import torch
    from transformers import BertConfig, BertModel, MarianTokenizer

    root = tmp_path_factory.mktemp("broken-models")
    made = {}
    made["truncated"] = shutil.copytree(tiny_model_dir, root / "truncated")
    weights = made["truncated"] / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:300])
    made["no-weights"] = shutil.copytree(tiny_model_dir, root / "no-weights")
    (made["no-weights"] / "model.safetensors").unlink()
    made["bad-config"] = shutil.copytree(tiny_model_dir, root / "bad-config")
    (made["bad-config"] / "config.json").write_text('{"model_type": "marian", ', encoding="utf-8")
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=100, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=32)).save_pretrained(root / "bert")
    made["bert"] = root / "bert"
    made["bigger-tokenizer"] = shutil.copytree(tiny_model_dir, root / "bigger-tokenizer")
    tokenizer = MarianTokenizer.from_pretrained(str(tiny_model_dir))
    tokenizer.add_tokens([f"newword{i}" for i in range(40)])
    tokenizer.save_pretrained(made["bigger-tokenizer"])
    # A model that asks to run its own code (custom classes in the folder): never imported.
    made["remote-code"] = shutil.copytree(tiny_model_dir, root / "remote-code")
    config = json.loads((made["remote-code"] / "config.json").read_text(encoding="utf-8"))
    config.update(model_type="evil-marian", auto_map={"AutoConfig": "evil.EvilConfig",
                                                      "AutoModelForSeq2SeqLM": "evil.EvilModel",
                                                      "AutoTokenizer": ["evil.EvilTokenizer", None]})
    (made["remote-code"] / "config.json").write_text(json.dumps(config), encoding="utf-8")
    marker = root / "remote-code-ran"
    (made["remote-code"] / "evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    # Another model's vocabulary: the same pieces at other ids (<pad> at 2, as some models have it).
    other = root / "other-vocab"
    other.mkdir()
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text(encoding="utf-8"))
    pieces = [p for p in vocab if p not in ("</s>", "<unk>", "<pad>")]
    reordered = {"</s>": 0, "<unk>": 1, "<pad>": 2, **{p: i + 3 for i, p in enumerate(pieces)}}
    (other / "vocab.json").write_text(json.dumps(reordered, ensure_ascii=False), encoding="utf-8")
    made["other-tokenizer"] = shutil.copytree(tiny_model_dir, root / "other-tokenizer")
    spm = str(tiny_model_dir / "source.spm")
    MarianTokenizer(source_spm=spm, target_spm=spm, vocab=str(other / "vocab.json"), source_lang="ar",
                    target_lang="en").save_pretrained(made["other-tokenizer"])
    return made


@pytest.mark.parametrize(
    ("kind", "needles"),
    [
        ("truncated", ["could not be loaded", "the folder may be corrupted", "download the model again"]),
        ("no-weights", ["could not be loaded", "download the model again"]),
        ("bad-config", ["unreadable config.json", "download it again"]),
        ("bert", ["is a 'bert' model, not a sequence-to-sequence translation model"]),
        ("bigger-tokenizer", ["tokens but the model only", "the tokenizer does not match this model"]),
        ("other-tokenizer", ["has pad_token_id 2 but the model", "the tokenizer does not match this model"]),
        ("remote-code", ["needs its own Python code to load, which tarjama never runs"]),
        ("nowhere", ["does not exist"]),
    ],
)
def test_a_broken_or_wrong_model_exits_2_naming_it(cli, tmp_path, broken_models, kind, needles):
    model = broken_models.get(kind, tmp_path / "no-such-model-folder")
    article = write(tmp_path / "article.txt", ARTICLE)
    out = tmp_path / "doc.json"
    result = cli("translate", article, "--model", model, *FAST, "-o", out)
    error_line(result, 2, str(model), *needles)
    nothing_written(out)
    assert not (model.parent / "remote-code-ran").exists()


class FakeOOMModel:
    """Stands in for TransformersBackend._generate on a GPU: out of memory above `fits` texts."""

    def __init__(self, fits: int, error: type[BaseException] | None = None, message: str = "CUDA out of memory.") -> None:
        import torch

        self.fits, self.message = fits, message
        self.error = error or torch.OutOfMemoryError
        self.batches: list[int] = []

    def __call__(self, texts, settings):
        from pipeline.backends.base import Translation

        self.batches.append(len(texts))
        if len(texts) > self.fits:
            raise self.error(f"{self.message} Tried to allocate 20.00 GiB (GPU 0; 79.11 GiB total capacity)")
        return [Translation(text=f"en:{t}", tokens=1) for t in texts]


def oom_backend(fake: FakeOOMModel, emptied: list[int]):
    from pipeline.backends.transformers_backend import TransformersBackend

    backend = object.__new__(TransformersBackend)  # no model: _generate is the fake
    backend.model_id, backend.device = "tiny-gpu-model", "cuda"
    backend._generate = fake
    backend._empty_cache = lambda: emptied.append(1)
    return backend


@pytest.mark.parametrize("error", ["OutOfMemoryError", "RuntimeError"])
def test_out_of_memory_halves_the_batch_and_retries(error, caplog):
    import torch

    from pipeline.backends.base import GenerationSettings

    fake = FakeOOMModel(fits=3, error=torch.OutOfMemoryError if error == "OutOfMemoryError" else RuntimeError)
    emptied: list[int] = []
    texts = [f"جملة رقم {i} " + "كلمة " * i for i in range(10)]
    results = oom_backend(fake, emptied).translate(texts, GenerationSettings(batch_size=16))
    assert [r.text for r in results] == [f"en:{t}" for t in texts]  # every text, in the input order
    assert fake.batches[:3] == [10, 5, 2]  # 16 > the 10 texts: halved from what was tried
    assert all(size <= 3 for size in fake.batches[2:]) and len(emptied) == 2
    assert "out of memory on cuda; retrying with batch size 5" in caplog.text


def test_out_of_memory_at_batch_1_is_a_clear_model_error():
    from pipeline.backends.base import GenerationSettings

    fake = FakeOOMModel(fits=0)
    with pytest.raises(ModelError) as info:
        oom_backend(fake, []).translate(["جملة أولى", "جملة ثانية", "ثالثة"], GenerationSettings(batch_size=4))
    assert fake.batches == [3, 1]
    message = str(info.value)
    assert "the cuda device ran out of memory" in message and "'tiny-gpu-model'" in message
    assert "generation.num_beams" in message and "device: cpu" in message


def test_another_runtime_error_is_not_taken_for_out_of_memory():
    from pipeline.backends.base import GenerationSettings

    fake = FakeOOMModel(fits=0, error=RuntimeError, message="CUBLAS_STATUS_EXECUTION_FAILED")
    with pytest.raises(RuntimeError, match="CUBLAS"):
        oom_backend(fake, []).translate(["جملة", "أخرى"], GenerationSettings(batch_size=2))
    assert fake.batches == [2]


def test_out_of_memory_through_the_cli(cli, tmp_path, tiny_model_dir, monkeypatch):
    from pipeline.backends.transformers_backend import TransformersBackend

    fake = FakeOOMModel(fits=0)
    monkeypatch.setattr(TransformersBackend, "_generate", lambda self, texts, settings: fake(texts, settings))
    article = write(tmp_path / "article.txt", ARTICLE)
    out = tmp_path / "doc.json"
    result = cli("translate", article, "--model", tiny_model_dir, *FAST, "-o", out)
    error_line(result, 2, "ran out of memory", str(tiny_model_dir), "generation.num_beams")
    assert fake.batches == [3, 1]
    nothing_written(out)


# -- 4. output -----------------------------------------------------------------------------------


@pytest.mark.parametrize("below", ["out.json", "sub/out.json"])
def test_an_output_folder_that_cannot_be_written_fails_before_any_work(cli, tmp_path, below):
    # chmod 0500 does not stop root (these tests may run as root): a path below a regular file
    # cannot be created by anyone.
    blocker = write(tmp_path / "not-a-folder", "a file")
    article = write(tmp_path / "article.txt", ARTICLE)
    result = cli("translate", article, "--stages", "normalize,segment", "-o", blocker / below)
    error_line(result, 2, str(blocker / below), f"{blocker} is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "a file"


def test_an_output_that_is_a_folder_is_refused(cli, tmp_path):
    article = write(tmp_path / "article.txt", ARTICLE)
    (tmp_path / "out.json").mkdir()
    error_line(cli("translate", article, "--stages", "segment", "-o", tmp_path / "out.json", "--overwrite"), 2,
               "is a directory")


def full_disk(monkeypatch) -> None:
    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)


@pytest.mark.parametrize("existing", [None, "the old output"])
def test_a_full_disk_leaves_no_half_file_and_keeps_the_old_one(cli, tmp_path, monkeypatch, existing):
    article = write(tmp_path / "article.txt", ARTICLE)
    out = tmp_path / "out" / "doc.json"
    out.parent.mkdir()
    if existing:
        write(out, existing)
    full_disk(monkeypatch)
    result = cli("translate", article, "--stages", "normalize,segment", "-o", out, "--overwrite")
    error_line(result, 1, f"cannot write {out}", "No space left on device", "the disk has space")
    if existing:
        assert out.read_text(encoding="utf-8") == existing
    else:
        nothing_written(out)
    assert sorted(p.name for p in out.parent.iterdir()) == (["doc.json"] if existing else [])


def test_write_atomic_on_a_full_disk_removes_its_temporary_file(tmp_path, monkeypatch):
    full_disk(monkeypatch)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(tmp_path / "x.json", "{}" * 100_000)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_output_is_kept_unless_overwrite(cli, tmp_path):
    article = write(tmp_path / "article.txt", ARTICLE)
    out = write(tmp_path / "doc.json", "keep me")
    error_line(cli("translate", article, *SEGMENT_ONLY, "-o", out), 2, str(out), "already exists", "--overwrite")
    assert out.read_text(encoding="utf-8") == "keep me"
    assert cli("translate", article, *SEGMENT_ONLY, "-o", out, "--overwrite").returncode == 0
    assert json_doc(out)["text"] == ARTICLE


# -- 5. safety -----------------------------------------------------------------------------------


def test_yaml_tags_that_would_run_code_are_refused(cli, tmp_path):
    marker = tmp_path / "pwned"
    config = write(tmp_path / "evil.yaml", f"model: !!python/object/apply:os.system ['touch {marker}']\n")
    article = write(tmp_path / "article.txt", ARTICLE)
    error_line(cli("translate", article, "-c", config, *SEGMENT_ONLY), 2, str(config), "not valid YAML")
    # In --set the same text is not YAML to construct but a plain string (here a model nobody loads).
    result = cli("translate", article, "--set", f"model=!!python/object/apply:os.system ['touch {marker}']",
                 *SEGMENT_ONLY)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_article_text_never_runs_and_comes_back_verbatim(cli, tmp_path):
    marker = tmp_path / "pwned"
    hostile = (f"قال المتحدث $(touch {marker}) و`touch {marker}` و{{{{7*7}}}} و${{HOME}}.\n"
               f"!!python/object/apply:os.system ['touch {marker}']\n"
               "%s%s%n {0.__class__} \\x00 \\u202e <?php system('id'); ?>\n")
    article = write(tmp_path / "article.txt", hostile)
    result = cli("translate", article, *SEGMENT_ONLY)
    assert result.returncode == 0, result.stderr
    assert json_doc_from(result)["text"] == hostile
    assert not marker.exists()


def test_article_html_is_escaped_in_the_html_output(cli, tmp_path):
    article = write(tmp_path / "article.txt",
                    "قال المتحدث <script>alert('x')</script> إن القوات ستغادر.\n"
                    "<img src=x onerror=alert(1)> وأضاف أن \"الوضع\" & مستقر.\n")
    out = tmp_path / "doc.html"
    result = cli("translate", article, "--stages", "normalize,segment", "-o", out)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page and "<img" not in page


def _python_files() -> list[Path]:
    return sorted((ROOT / "pipeline").rglob("*.py"))


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _calls(name: str):
    for path in _python_files():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if called == name:
                    yield path.relative_to(ROOT), node


def test_no_remote_code_is_ever_trusted():
    checked = 0
    for name in ("from_pretrained", "TransformersConverter", "load_dataset", "snapshot_download", "pipeline"):
        for where, call in _calls(name):
            checked += name == "from_pretrained"
            assert not any(k.arg is None for k in call.keywords), f"{where}:{call.lineno}: **kwargs could pass trust_remote_code"
            for keyword in call.keywords:
                if keyword.arg == "trust_remote_code":
                    assert isinstance(keyword.value, ast.Constant) and keyword.value.value is False, \
                        f"{where}:{call.lineno}: trust_remote_code must be False"
    assert checked >= 3  # the tokenizer, the translation model and the summarization model
    for path in _python_files():
        assert "trust_remote_code=True" not in path.read_text(encoding="utf-8"), path


# Modules that may pickle, and why that cannot run a stranger's code.
PICKLE_ALLOWED = {"ray.py": "documents pickled by the batch driver and its own Ray workers, never read from a file"}


def test_nothing_loads_code_from_data():
    """YAML only through safe_load, no pickle, eval or exec, torch.load only with weights_only."""
    for path in _python_files():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                assert not (owner == "yaml" and name in ("load", "unsafe_load", "full_load", "load_all")), where
                assert not (isinstance(func, ast.Name) and name in ("eval", "exec", "compile")), where
                if owner == "torch" and name == "load":
                    assert any(k.arg == "weights_only" and getattr(k.value, "value", None) is True
                               for k in node.keywords), where
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                banned = ("marshal", "shelve", "dill") + (("pickle",) if path.name not in PICKLE_ALLOWED else ())
                assert not any(m.split(".")[0] in banned for m in modules), f"{path.relative_to(ROOT)}:{node.lineno}"


HOSTILE_IDS = ["../../escape", "/etc/passwd", "..", ".hidden", "C:\\Windows\\win.ini", "evil\u202etxt.exe",
               "nul\x00byte", "tab\tand\nnewline", "ك" * 200, "", "   "]


@pytest.mark.parametrize("name", HOSTILE_IDS, ids=range(len(HOSTILE_IDS)))
def test_safe_name_cannot_leave_the_folder(tmp_path, name):
    safe = safe_name(name)
    assert safe and not safe.startswith(".") and safe not in (".", "..")
    assert not any(ch in safe for ch in "/\\\x00")
    assert not any(unicodedata.category(ch)[0] in "CZ" for ch in safe)
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    target = inside(tmp_path, name + ".json")
    assert target.parent == tmp_path.resolve()
    target.write_text("{}", encoding="utf-8")  # the folder accepts the name


def test_a_batch_job_with_hostile_ids_writes_only_inside_its_folder(tmp_path):
    sentence = "قال المتحدث إن القوات ستغادر القاعدة."
    rows = [{"id": row_id, "text": f"{sentence} {i}"} for i, row_id in enumerate(HOSTILE_IDS[:-2])]
    work = tmp_path / "job"
    write(work / "hostile.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    write(work / "job.yaml", json.dumps({
        "inputs": [{"table": "hostile.jsonl"}],
        "pipeline": {"stages": ["normalize", "segment"]},
        "output": {"folder": "out", "formats": ["json", "html"], "dataset": None},
    }))
    assert main(["batch", str(work / "job.yaml"), "--progress", "lines"]) == 0
    outside = [p for p in tmp_path.rglob("*") if work / "out" not in p.parents and p != work / "out"]
    assert sorted(p.name for p in outside) == ["hostile.jsonl", "job", "job.yaml"]
    documents = sorted((work / "out" / "documents").glob("*.json"))
    assert len(documents) == len(rows)  # one each: no two names collided into one file
    texts = {json_doc(p)["text"] for p in documents}
    assert texts == {r["text"] for r in rows}
    for p in documents:
        assert not any(unicodedata.category(ch)[0] in "CZ" for ch in p.name) and not p.name.startswith(".")


# -- 6. the real entry point ---------------------------------------------------------------------


@pytest.mark.parametrize("case", ["png", "malformed-yaml", "wrong-kind-model", "unwritable-output", "too-big"])
def test_python_m_pipeline_prints_one_line_and_no_traceback(run_cli, tmp_path, broken_models, case):
    article = write(tmp_path / "article.txt", ARTICLE)
    args = ["translate", str(article), "--stages", "normalize,segment"]
    if case == "png":
        args[1] = str(write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200)))
        expected = (1, "is a PNG image")
    elif case == "malformed-yaml":
        args += ["-c", str(write(tmp_path / "c.yaml", "stages: [normalize\n"))]
        expected = (2, "not valid YAML at line")
    elif case == "wrong-kind-model":
        args = ["translate", str(article), "--model", str(broken_models["bert"])]
        expected = (2, "not a sequence-to-sequence")
    elif case == "unwritable-output":
        args += ["-o", str(write(tmp_path / "file", "x") / "out.json")]
        expected = (2, "is a file, not a folder")
    else:
        args += ["--set", "max_input_mb=0.0001"]
        expected = (1, "raise `max_input_mb`")
    result = run_cli(*args)
    error_line(Result(result.returncode, result.stdout, result.stderr), expected[0], expected[1])


def test_debug_shows_the_traceback_for_the_same_fault(run_cli, tmp_path):
    photo = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = run_cli("--debug", "translate", str(photo), "--stages", "normalize,segment")
    assert result.returncode != 0 and "Traceback" in result.stderr and "InputError" in result.stderr
