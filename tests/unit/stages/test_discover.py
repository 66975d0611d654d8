import os

from flows.stages.discover import KnownFile, plan_work, scan_sources


def write(path, data=b"Pantsir in Moscow."):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_scan_walks_folders_and_rejects_what_is_not_an_article(tmp_path):
    write(tmp_path / "a.txt")
    write(tmp_path / "sub" / "b.md")
    write(tmp_path / ".hidden.txt")
    write(tmp_path / "notes.json", b"{}")
    write(tmp_path / "big.txt", b"x" * 2000)
    (tmp_path / "folder.txt").mkdir()
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    scan = scan_sources([tmp_path], max_bytes=1000)
    assert sorted(f.source_name for f in scan.files) == ["a.txt", "b.md"]
    reasons = {r.source_name: r.reason for r in scan.rejects}
    assert reasons == {"notes.json": "unsupported_type", "big.txt": "too_large", "folder.txt": "not_a_file",
                       "dangling.txt": "dangling_link"}


def test_plan_reads_only_new_or_restamped_files(tmp_path):
    a, b, c = write(tmp_path / "a.txt"), write(tmp_path / "b.txt"), write(tmp_path / "c.txt")
    scan = scan_sources([tmp_path])
    stat = {f.path: f for f in scan.files}
    known = {
        str(a): KnownFile(str(a), stat[str(a)].size_bytes, stat[str(a)].mtime_ns, "h", "id-a", "ok"),
        str(b): KnownFile(str(b), stat[str(b)].size_bytes, 1, "h", "id-b", "ok"),
        str(tmp_path / "gone.txt"): KnownFile(str(tmp_path / "gone.txt"), 1, 1, "h", "id-g", "ok"),
        "/elsewhere/x.txt": KnownFile("/elsewhere/x.txt", 1, 1, "h", "id-x", "ok"),
    }
    plan = plan_work(scan, known)
    assert [f.source_name for f in plan.unchanged] == ["a.txt"]
    assert sorted(f.source_name for f in plan.to_read) == ["b.txt", "c.txt"]
    assert [k.path for k in plan.missing] == [str(tmp_path / "gone.txt")]  # only under the scanned roots
    assert plan_work(scan, known, full_refresh=True).unchanged == []
