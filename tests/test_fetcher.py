import pytest

from backplan.errors import BackplanError
from backplan.render.fetcher import FetchPolicy, RefusedURL, make_fetcher, refusal


@pytest.fixture
def policy(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "style.css").write_text("p { color: red }")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("secret")
    return FetchPolicy.of(folders=[folder, None], files=[logo])


def test_allows_files_in_folders_and_named_files(policy, tmp_path):
    assert policy.check((tmp_path / "templates" / "style.css").as_uri()) is not None
    assert policy.check((tmp_path / "logo.png").as_uri()) == (tmp_path / "logo.png").resolve()
    assert policy.check("data:image/png;base64,iVBORw0KGgo=") is None
    assert policy.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/style.css",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "file://otherhost/etc/passwd",
    ],
)
def test_refuses_everything_else(policy, url):
    with pytest.raises(RefusedURL, match="refused"):
        policy.check(url)
    assert policy.refused == [url]


def test_refuses_climbing_out_of_an_allowed_folder(policy, tmp_path):
    sneaky = (tmp_path / "templates").as_uri() + "/../secret.txt"
    with pytest.raises(RefusedURL):
        policy.check(sneaky)
    link = tmp_path / "templates" / "link.txt"
    link.symlink_to(tmp_path / "secret.txt")
    with pytest.raises(RefusedURL):
        policy.check(link.as_uri())


def test_weasyprint_fetcher_reads_allowed_and_never_opens_refused(policy, tmp_path):
    fetcher = make_fetcher(policy)
    css = (tmp_path / "templates" / "style.css").as_uri()
    response = fetcher.fetch(css)
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    with pytest.raises(RefusedURL):
        fetcher.fetch("http://127.0.0.1:9/never")
    assert policy.fetched == [css]
    assert policy.refused == ["http://127.0.0.1:9/never"]


def test_refusal_finds_the_reason_in_a_chain():
    try:
        try:
            raise RefusedURL("refused to read file:///etc/passwd")
        except RefusedURL as inner:
            raise RuntimeError("Error fetching") from inner
    except RuntimeError as outer:
        error = refusal(outer)
    assert isinstance(error, BackplanError)
    assert "file:///etc/passwd" in str(error)
    assert refusal(RuntimeError("other")) is None


@pytest.mark.parametrize("url", ["file:///a%00b", "file:///" + "x" * 5000 + "/y"])
def test_an_unusable_file_name_is_a_refused_url_not_a_crash(policy, url):
    with pytest.raises(RefusedURL, match="refused"):
        policy.check(url)
    assert policy.refused == [url]
