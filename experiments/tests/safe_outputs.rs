//! Issue 12: cjsim never destroys what it did not write. Every finding of the issue is kept
//! here as a regression test: a folder of the user's, a file, a FIFO, a symbolic link, a device,
//! another user's or a read-only folder at `--out` survive untouched with exit code 2;
//! replacing a result survives SIGKILL at any moment; leftovers of killed runs are recovered.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{cjsim, text};

fn tempdir(name: &str) -> PathBuf {
    common::tempdir("safe", name)
}

const SMALL: &[&str] = &["--agents", "2000", "--years", "1", "-q", "--no-report"];

fn run_into(out: &str, dir: &Path) -> std::process::Output {
    let mut args = vec!["run", "--out", out];
    args.extend_from_slice(SMALL);
    cjsim(&args, dir)
}

/// Names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_folder_cjsim_did_not_write_survives_every_command() {
    let dir = tempdir("foreign");
    std::fs::create_dir(dir.join("d")).unwrap();
    std::fs::write(dir.join("d/notes.txt"), "precious").unwrap();
    std::fs::write(
        dir.join("sweep.toml"),
        "[sweep]\nname = \"s\"\nbase = \"coastal-middle-income\"\ndesign = \"grid\"\n\
         agents = 1000\nyears = 1\n[output]\nfolder = \"d\"\n\
         [[factors]]\nkey = \"justice.court_capacity_multiplier\"\nlevels = [0.8, 1.2]\n",
    )
    .unwrap();
    let runs: Vec<Vec<&str>> = vec![
        [&["run", "--out", "d"], SMALL].concat(),
        [
            &[
                "compare",
                "--arm",
                "a=legal_aid",
                "--reps",
                "1",
                "--out",
                "d",
            ],
            SMALL,
        ]
        .concat(),
        vec!["sweep", "sweep.toml", "-q"],
        vec!["report", "d"],
    ];
    for args in runs {
        let o = cjsim(&args, &dir);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("d"), "{}", text(&o));
        assert_eq!(listing(&dir.join("d")), ["notes.txt"], "{args:?}");
        assert_eq!(
            std::fs::read_to_string(dir.join("d/notes.txt")).unwrap(),
            "precious"
        );
        assert_eq!(listing(&dir), ["d", "sweep.toml"], "{args:?}: leftovers");
    }
}

#[test]
fn out_pwd_leaves_the_scenario_file_and_its_neighbours() {
    let dir = tempdir("pwd");
    let o = cjsim(&["scenarios", "init", "my"], &dir);
    assert!(o.status.success());
    std::fs::write(dir.join("other.txt"), "x").unwrap();
    let here = dir.display().to_string();
    let mut args = vec!["run", "my.toml", "--out", &here];
    args.extend_from_slice(SMALL);
    let o = cjsim(&args, &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(listing(&dir), ["my.toml", "other.txt"]);
    for out in [".", "..", "/"] {
        let o = run_into(out, &dir);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", text(&o));
    }
    assert_eq!(listing(&dir), ["my.toml", "other.txt"]);
}

#[test]
fn files_fifos_links_and_devices_are_never_replaced() {
    let dir = tempdir("special");
    std::fs::write(dir.join("file"), "mine").unwrap();
    let made = Command::new("mkfifo").arg(dir.join("fifo")).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo is needed");
    std::fs::create_dir(dir.join("target")).unwrap();
    std::fs::write(dir.join("target/keep.txt"), "kept").unwrap();
    std::os::unix::fs::symlink(dir.join("target"), dir.join("link")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
    for out in ["file", "fifo", "link", "dangling", "/dev/null"] {
        let o = run_into(out, &dir);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", text(&o));
    }
    assert_eq!(std::fs::read_to_string(dir.join("file")).unwrap(), "mine");
    use std::os::unix::fs::FileTypeExt;
    let t = |p: &Path| std::fs::symlink_metadata(p).unwrap().file_type();
    assert!(t(&dir.join("fifo")).is_fifo());
    assert!(t(&dir.join("link")).is_symlink());
    assert!(t(&dir.join("dangling")).is_symlink());
    assert!(!dir.join("nowhere").exists());
    assert_eq!(listing(&dir.join("target")), ["keep.txt"]);
    assert!(t(Path::new("/dev/null")).is_char_device());
    assert_eq!(
        listing(&dir),
        ["dangling", "fifo", "file", "link", "target"]
    );
}

#[test]
fn read_only_and_other_users_folders_are_refused() {
    let dir = tempdir("owners");
    std::fs::create_dir(dir.join("ro")).unwrap();
    std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = run_into("ro", &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("read-only"), "{}", text(&o));
    assert!(dir.join("ro").is_dir());
    // As root (CI), a folder of another user, even empty and writable by its owner.
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    if root {
        std::fs::create_dir(dir.join("theirs")).unwrap();
        let chown = Command::new("chown")
            .args(["65534:65534"])
            .arg(dir.join("theirs"))
            .status()
            .unwrap();
        assert!(chown.success());
        let o = run_into("theirs", &dir);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("another user"), "{}", text(&o));
    }
    std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o755)).unwrap();
    // An empty folder of one's own is fine, and so is rerunning into a cjsim folder.
    std::fs::create_dir(dir.join("empty")).unwrap();
    assert!(run_into("empty", &dir).status.success());
    assert!(dir.join("empty/run.json").exists());
    assert!(run_into("empty", &dir).status.success());
}

#[test]
fn user_files_in_a_result_folder_need_force() {
    let dir = tempdir("force");
    assert!(run_into("r", &dir).status.success());
    std::fs::write(dir.join("r/notes.txt"), "mine").unwrap();
    let o = run_into("r", &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("notes.txt") && text(&o).contains("--force"));
    assert!(dir.join("r/notes.txt").exists());
    let mut args = vec!["run", "--out", "r", "--force"];
    args.extend_from_slice(SMALL);
    assert!(cjsim(&args, &dir).status.success());
    assert!(!dir.join("r/notes.txt").exists());
    // `report` adds its files to the folder's list, so a later run replaces them freely.
    assert!(cjsim(&["report", "r"], &dir).status.success());
    assert!(run_into("r", &dir).status.success());
}

/// Whether `dir` holds a complete result: its marker lists files that are all there, and
/// `run.json` is whole.
fn complete(dir: &Path) -> Result<(), String> {
    let marker = std::fs::read_to_string(dir.join(".cjsim-output")).map_err(|e| e.to_string())?;
    let m: serde_json::Value = serde_json::from_str(&marker).map_err(|e| e.to_string())?;
    let files = m["files"].as_array().ok_or("no file list")?;
    if files.is_empty() {
        return Err("the marker lists no files (a staging marker)".into());
    }
    for f in files {
        let f = f.as_str().unwrap();
        if !dir.join(f).exists() {
            return Err(format!("{f} is missing"));
        }
    }
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap())
            .map_err(|e| e.to_string())?;
    if run["cjsim_version"].is_null() {
        return Err("run.json is incomplete".into());
    }
    Ok(())
}

#[test]
fn sigkill_at_twenty_moments_of_a_replacement_always_leaves_a_complete_folder() {
    let dir = tempdir("kill");
    let args = [
        "run", "--agents", "20000", "--years", "3", "--out", "r", "-q",
    ];
    let started = Instant::now();
    let o = cjsim(&args, &dir);
    assert!(o.status.success(), "{}", text(&o));
    let full = started.elapsed();
    complete(&dir.join("r")).unwrap();
    for i in 0..20u32 {
        // From early in the run to past its end, so that some kills land while the folder is
        // being put in place.
        let at = full.mul_f64(0.4 + 0.8 * f64::from(i) / 19.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_cjsim"))
            .args(args)
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        if let Err(e) = complete(&dir.join("r")) {
            panic!("kill {i} at {at:?}: r is not complete: {e}");
        }
    }
    // The next run recovers what the killed ones left beside the folder.
    let o = cjsim(&args, &dir);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(listing(&dir), ["r"], "leftovers after recovery");
}

#[test]
fn report_replaces_charts_atomically_and_refuses_foreign_folders() {
    let dir = tempdir("report");
    let mut args = vec!["run", "--out", "r"];
    args.extend_from_slice(&SMALL[..5]);
    assert!(cjsim(&args, &dir).status.success());
    let before = listing(&dir.join("r/charts"));
    assert!(cjsim(&["report", "r"], &dir).status.success());
    assert_eq!(listing(&dir.join("r/charts")), before);
    assert!(
        listing(&dir.join("r"))
            .iter()
            .all(|n| !n.contains("staging"))
    );
    // A folder with the tables but no marker is not cjsim's to write into.
    std::fs::create_dir(dir.join("copy")).unwrap();
    for f in ["indicators_yearly.csv", "timeseries.csv", "run.json"] {
        std::fs::copy(dir.join("r").join(f), dir.join("copy").join(f)).unwrap();
    }
    let o = cjsim(&["report", "copy"], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!dir.join("copy/report.html").exists());
}
