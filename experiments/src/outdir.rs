//! Output folders that never destroy what cjsim did not write, and replace what it did write
//! without a moment where neither the old nor the new result is there.
//!
//! **Architecture Invariant:** cjsim writes an output folder only where nothing is, where an
//! empty folder of the user's is, or where a folder it wrote itself is (it carries a
//! [`MARKER`] file naming the command and the files cjsim put there). Anything else (a folder
//! of the user's, a file, a FIFO, a device, a symbolic link) is refused with exit code 2 and
//! left untouched; links are never followed. `--force` only lets a cjsim folder go that has
//! picked up files of the user's, or that holds another command's results; never anything else.
//!
//! A result is written into a hidden staging folder beside the target,
//! `.NAME.cjsim-staging-PID`, and only then put in place:
//! - no target yet: one rename that refuses to replace anything (`RENAME_NOREPLACE`);
//! - a target to replace: one atomic exchange of the two folders (`RENAME_EXCHANGE`), after
//!   which the staging name holds the old result, which is removed. Where the file system
//!   cannot exchange, the old folder is renamed aside to `.NAME.cjsim-old-PID` first.
//!
//! Either way, at every instant a complete folder is at the path, or the old one is beside it
//! under a name the next cjsim run in that folder recognises: [`recover`] puts an old folder
//! back if the path is empty and removes staging and old folders of processes that are gone
//! (only when they carry the marker, so only folders cjsim made).

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CliError, CliResult, io_error};

/// Name of the marker file inside every folder cjsim writes.
pub const MARKER: &str = ".cjsim-output";

/// Format tag of the marker.
const MARKER_FORMAT: &str = "cjsim-output/1";

/// Role tags in the names of hidden sibling folders.
const STAGING: &str = "cjsim-staging";
const OLD: &str = "cjsim-old";

/// The marker's content: which command wrote the folder and what it put there.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Marker {
    /// [`MARKER_FORMAT`].
    pub format: String,
    /// `run`, `compare` or `sweep`.
    pub kind: String,
    /// A random identifier of the run that wrote the folder.
    pub run_id: String,
    /// cjsim version that wrote it.
    pub cjsim_version: String,
    /// Top-level entries cjsim wrote (the marker itself excluded); empty for sweep folders,
    /// whose contents grow while the sweep runs.
    pub files: Vec<String>,
}

impl Marker {
    /// A fresh marker for a folder written by `kind`.
    pub fn new(kind: &str) -> Marker {
        Marker {
            format: MARKER_FORMAT.into(),
            kind: kind.into(),
            run_id: random_hex(8),
            cjsim_version: env!("CARGO_PKG_VERSION").into(),
            files: Vec::new(),
        }
    }

    /// Reads the marker of `dir`, if `dir` has a regular marker file cjsim wrote.
    pub fn read(dir: &Path) -> Option<Marker> {
        let path = dir.join(MARKER);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.file_type().is_file() || meta.len() > 1 << 20 {
            return None;
        }
        let m: Marker = serde_json::from_str(&fs::read_to_string(&path).ok()?).ok()?;
        (m.format == MARKER_FORMAT).then_some(m)
    }

    /// Writes the marker into `dir` (under a temporary name, then renamed).
    pub fn write(&self, dir: &Path) -> CliResult<()> {
        let text = serde_json::to_string_pretty(self).expect("plain data") + "\n";
        write_file_atomic(&dir.join(MARKER), text.as_bytes())
    }
}

/// `n` random bytes as lower-case hex, from the operating system's generator.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS generator: fall back on the clock and the process id, which only need to be
        // different between runs here.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut x = sim_core::rng::fmix64(t ^ u64::from(std::process::id()));
        for b in &mut bytes {
            x = sim_core::rng::fmix64(x.wrapping_add(0x9e37_79b9_7f4a_7c15));
            *b = x as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` to `path` through a temporary sibling renamed into place; the temporary is
/// removed if anything fails, so a full disk leaves no half-written file.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> CliResult<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp).map_err(|e| io_error("create", &tmp, e))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| io_error("write", &tmp, e))?;
        fs::rename(&tmp, path).map_err(|e| io_error("rename", &tmp, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// What is at an output path that cjsim may write.
#[derive(Debug, PartialEq)]
pub enum Existing {
    /// Nothing.
    Absent,
    /// An empty folder of the current user's.
    Empty,
    /// A folder cjsim wrote.
    Cjsim(Marker),
}

/// A refusal to touch `target`: exit code 2, with what to do instead.
fn refuse(target: &Path, why: &str) -> CliError {
    CliError::BadInput(format!(
        "--out {}: {why}; cjsim never deletes, moves or replaces what it did not write. \
         Give a new folder, an empty one, or one cjsim wrote before.",
        target.display()
    ))
}

/// What kind of non-folder `t` is, in words.
fn kind_of(t: fs::FileType) -> &'static str {
    if t.is_symlink() {
        "a symbolic link (cjsim never follows or replaces links)"
    } else if t.is_file() {
        "a file, not a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a folder"
    }
}

/// Checks what is at `target` and whether a command of `kind` may write there. With `force`,
/// a cjsim folder holding files of the user's, or another command's results, may be replaced;
/// nothing else changes.
pub fn claim(target: &Path, kind: &str, force: bool) -> CliResult<Existing> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Absent),
        Err(e) => return Err(refuse(target, &format!("cannot be examined ({e})"))),
    };
    let t = meta.file_type();
    if !t.is_dir() {
        return Err(refuse(target, &format!("is {}", kind_of(t))));
    }
    let uid = rustix::process::geteuid().as_raw();
    if meta.uid() != uid {
        return Err(refuse(
            target,
            &format!("belongs to another user (uid {})", meta.uid()),
        ));
    }
    let entries: Vec<String> = fs::read_dir(target)
        .map_err(|e| refuse(target, &format!("cannot be listed ({e})")))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    if meta.mode() & 0o200 == 0 {
        return Err(refuse(target, "is read-only"));
    }
    if entries.is_empty() {
        return Ok(Existing::Empty);
    }
    let Some(marker) = Marker::read(target) else {
        return Err(refuse(
            target,
            &format!("the folder exists and was not written by cjsim (it has no {MARKER} marker)"),
        ));
    };
    if marker.kind != kind && !force {
        return Err(CliError::BadInput(format!(
            "--out {}: holds the results of `cjsim {}`, not of `cjsim {kind}`; give another \
             folder, or pass --force to replace it",
            target.display(),
            marker.kind
        )));
    }
    if marker.kind == kind && kind != "sweep" {
        let foreign: Vec<&String> = entries
            .iter()
            .filter(|e| *e != MARKER && !marker.files.contains(e))
            .collect();
        if !foreign.is_empty() && !force {
            let list: Vec<&str> = foreign.iter().take(5).map(|s| s.as_str()).collect();
            return Err(CliError::BadInput(format!(
                "--out {}: is a cjsim result folder, but holds {} that cjsim did not write ({}{}); \
                 move {} out, or pass --force to replace the folder with {}",
                target.display(),
                if foreign.len() == 1 {
                    "a file"
                } else {
                    "files"
                },
                list.join(", "),
                if foreign.len() > 5 { ", ..." } else { "" },
                if foreign.len() == 1 { "it" } else { "them" },
                if foreign.len() == 1 { "it" } else { "them" },
            )));
        }
    }
    Ok(Existing::Cjsim(marker))
}

/// The folder name and parent of an output path.
fn split(target: &Path) -> CliResult<(String, PathBuf)> {
    let name = target
        .file_name()
        .filter(|n| *n != "." && *n != "..")
        .ok_or_else(|| {
            CliError::BadInput(format!(
                "--out {}: must name a folder, e.g. out/run1",
                target.display()
            ))
        })?
        .to_string_lossy()
        .to_string();
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok((name, parent))
}

/// Name of a hidden sibling of `name` with `role` for process `pid`.
fn sibling(name: &str, role: &str, pid: u32) -> String {
    format!(".{name}.{role}-{pid}")
}

/// Parses a sibling name into (target name, role, pid).
fn parse_sibling(entry: &str) -> Option<(&str, &str, u32)> {
    let rest = entry.strip_prefix('.')?;
    for role in [STAGING, OLD] {
        if let Some((name, pid)) = rest.rsplit_once(&format!(".{role}-")) {
            return Some((name, role, pid.parse().ok()?));
        }
    }
    None
}

/// Whether process `pid` may still be running (and so still own its staging folders). Where
/// processes cannot be looked up, every process counts as running and nothing is removed.
fn running(pid: u32) -> bool {
    pid == std::process::id() || !Path::new("/proc/self").exists() || {
        Path::new("/proc").join(pid.to_string()).exists()
    }
}

/// Finishes what interrupted cjsim processes left in `parent`: an old result renamed aside
/// goes back to its path if nothing is there, and staging or old folders of processes that
/// are gone are removed. Only folders with the marker are touched. Returns what was done.
pub fn recover(parent: &Path) -> Vec<String> {
    let mut done = Vec::new();
    let Ok(list) = fs::read_dir(parent) else {
        return done;
    };
    let mut found: Vec<String> = list
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    found.sort();
    for entry in found {
        let Some((name, role, pid)) = parse_sibling(&entry) else {
            continue;
        };
        if running(pid) {
            continue;
        }
        let path = parent.join(&entry);
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_dir());
        if !is_dir {
            continue;
        }
        if Marker::read(&path).is_none() {
            // A kill between creating a staging folder and writing its marker leaves the folder
            // empty, or holding only the marker's own temporary file: nothing of anyone's.
            if role == STAGING && remove_unmarked_staging(&path, pid) {
                done.push(format!(
                    "removed {} (left by an interrupted cjsim, process {pid})",
                    path.display()
                ));
            }
            continue;
        }
        let target = parent.join(name);
        if role == OLD && fs::symlink_metadata(&target).is_err() {
            if fs::rename(&path, &target).is_ok() {
                done.push(format!(
                    "restored {} (its replacement was interrupted)",
                    target.display()
                ));
            }
            continue;
        }
        if remove_marked(&path).is_ok() {
            done.push(format!(
                "removed {} (left by an interrupted cjsim, process {pid})",
                path.display()
            ));
        }
    }
    done
}

/// Removes a marked result folder, its marker last: a process killed half way leaves a folder
/// that still carries the marker, which the next run's [`recover`] then removes. (Deleted in
/// directory order, the marker could go first and leave unmarked files nobody may touch.)
fn remove_marked(path: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    let marker = path.join(MARKER);
    if fs::symlink_metadata(&marker).is_ok() {
        fs::remove_file(marker)?;
    }
    fs::remove_dir(path)
}

/// Removes a staging folder that has no marker only if it holds nothing but the marker's
/// temporary file of process `pid`; anything else in it is left alone.
fn remove_unmarked_staging(path: &Path, pid: u32) -> bool {
    let scrap = format!(".{MARKER}.tmp-{pid}");
    let Ok(list) = fs::read_dir(path) else {
        return false;
    };
    let names: Vec<_> = list.filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    if names.iter().any(|n| n.to_str() != Some(scrap.as_str())) {
        return false;
    }
    let _ = fs::remove_file(path.join(&scrap));
    fs::remove_dir(path).is_ok()
}

/// Atomically exchanges two paths; `Ok(false)` when the file system cannot.
fn exchange(a: &Path, b: &Path) -> CliResult<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS
                || e == rustix::io::Errno::OPNOTSUPP =>
        {
            Ok(false)
        }
        Err(e) => Err(io_error("replace", b, e.into())),
    }
}

/// Renames `from` to `to` only if nothing is at `to`.
fn rename_no_replace(from: &Path, to: &Path) -> CliResult<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::EXIST || e == rustix::io::Errno::NOTEMPTY => {
            Err(refuse(to, "appeared while the result was being written"))
        }
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            if fs::symlink_metadata(to).is_ok() {
                return Err(refuse(to, "appeared while the result was being written"));
            }
            fs::rename(from, to).map_err(|e| io_error("move into place", to, e))
        }
        Err(e) => Err(io_error("move into place", to, e.into())),
    }
}

/// Puts the complete folder `staging` at `target`, replacing what [`claim`] allowed. The old
/// folder ends up under a hidden sibling name and is removed last.
fn put_in_place(staging: &Path, target: &Path, kind: &str, force: bool) -> CliResult<()> {
    match claim(target, kind, force)? {
        Existing::Absent => rename_no_replace(staging, target),
        Existing::Empty | Existing::Cjsim(_) => {
            if exchange(staging, target)? {
                // The staging name now holds the old folder (with its marker, or empty).
                return remove_marked(staging).map_err(|e| io_error("remove", staging, e));
            }
            let (name, parent) = split(target)?;
            let old = parent.join(sibling(&name, OLD, std::process::id()));
            if Marker::read(target).is_none() {
                // An empty folder: mark it so that recovery recognises it if interrupted.
                Marker::new(kind).write(target)?;
            }
            fs::rename(target, &old).map_err(|e| io_error("move aside", target, e))?;
            if let Err(e) = fs::rename(staging, target) {
                let _ = fs::rename(&old, target);
                return Err(io_error("move into place", target, e));
            }
            remove_marked(&old).map_err(|e| io_error("remove", &old, e))
        }
    }
}

/// A result folder being written; it is put in place by [`StagedDir::commit`] and vanishes if
/// dropped before.
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
    kind: String,
    force: bool,
    committed: bool,
    /// What recovery did in the parent folder before staging began.
    pub recovered: Vec<String>,
}

impl StagedDir {
    /// Checks that `target` may be written by command `kind` (see [`claim`]), recovers what
    /// interrupted runs left beside it, and creates the hidden staging folder.
    pub fn new(target: &Path, kind: &str, force: bool) -> CliResult<Self> {
        let (name, parent) = split(target)?;
        claim(target, kind, force)?;
        match fs::symlink_metadata(&parent) {
            Ok(m) if !m.file_type().is_dir() => {
                return Err(CliError::BadInput(format!(
                    "--out {}: {} is {}",
                    target.display(),
                    parent.display(),
                    kind_of(m.file_type())
                )));
            }
            Ok(_) => {}
            Err(_) => fs::create_dir_all(&parent).map_err(|e| {
                CliError::BadInput(format!(
                    "--out {}: cannot create {}: {e}",
                    target.display(),
                    parent.display()
                ))
            })?,
        }
        let recovered = recover(&parent);
        let staging = parent.join(sibling(&name, STAGING, std::process::id()));
        fs::create_dir(&staging).map_err(|e| {
            CliError::BadInput(format!(
                "--out {}: cannot write in {}: {e}",
                target.display(),
                parent.display()
            ))
        })?;
        let dir = StagedDir {
            staging,
            target: target.to_path_buf(),
            kind: kind.to_string(),
            force,
            committed: false,
            recovered,
        };
        Marker::new(kind).write(&dir.staging)?;
        Ok(dir)
    }

    /// Path of a file inside the staging folder (`""`: the folder itself).
    pub fn path(&self, file: &str) -> PathBuf {
        if file.is_empty() {
            self.staging.clone()
        } else {
            self.staging.join(file)
        }
    }

    /// Writes a whole file.
    pub fn write(&self, file: &str, bytes: &[u8]) -> CliResult<()> {
        let p = self.path(file);
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
        }
        fs::write(&p, bytes).map_err(|e| io_error("write", &p, e))
    }

    /// Records what was written in the marker and puts the folder in place.
    pub fn commit(mut self) -> CliResult<PathBuf> {
        let mut marker = Marker::new(&self.kind);
        marker.files = fs::read_dir(&self.staging)
            .map_err(|e| io_error("list", &self.staging, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n != MARKER)
            .collect();
        marker.files.sort();
        marker.write(&self.staging)?;
        put_in_place(&self.staging, &self.target, &self.kind, self.force)?;
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Replaces the sub-folder `dir/sub` with the complete folder `staged` (a sibling inside
/// `dir`), atomically where the file system allows; used by `cjsim report` for `charts/`.
pub fn replace_subfolder(staged: &Path, dir: &Path, sub: &str) -> CliResult<()> {
    let target = dir.join(sub);
    match fs::symlink_metadata(&target) {
        Err(_) => rename_no_replace(staged, &target),
        Ok(m) if m.file_type().is_dir() => {
            if exchange(staged, &target)? {
                return fs::remove_dir_all(staged).map_err(|e| io_error("remove", staged, e));
            }
            let old = dir.join(sibling(sub, OLD, std::process::id()));
            fs::rename(&target, &old).map_err(|e| io_error("move aside", &target, e))?;
            fs::rename(staged, &target).map_err(|e| io_error("move into place", &target, e))?;
            fs::remove_dir_all(&old).map_err(|e| io_error("remove", &old, e))
        }
        Ok(m) => Err(CliError::BadInput(format!(
            "{}: is {}; cjsim will not replace it",
            target.display(),
            kind_of(m.file_type())
        ))),
    }
}

/// Sets up `dir` as a sweep folder: creates it (or takes an empty one) and marks it; a folder
/// that already carries a sweep marker, or a `manifest.json` of a cjsim sweep written before
/// markers existed, is resumed. Anything else is refused.
pub fn claim_sweep_folder(dir: &Path, legacy_manifest: impl Fn(&Path) -> bool) -> CliResult<()> {
    let meta = fs::symlink_metadata(dir);
    if meta.is_ok() && Marker::read(dir).is_none() && legacy_manifest(dir) {
        return Marker::new("sweep").write(dir);
    }
    match claim(dir, "sweep", false)? {
        Existing::Cjsim(_) => {
            // Temporaries of interrupted writers (a full disk, a kill) are not results.
            remove_stale_temporaries(dir);
            Ok(())
        }
        Existing::Empty => Marker::new("sweep").write(dir),
        Existing::Absent => {
            fs::create_dir_all(dir).map_err(|e| {
                CliError::BadInput(format!("--out {}: cannot create it: {e}", dir.display()))
            })?;
            Marker::new("sweep").write(dir)
        }
    }
}

/// Removes `.NAME.tmp-PID` files of processes that are gone from `dir` (one level).
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(list) = fs::read_dir(dir) else {
        return;
    };
    for e in list.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix('.')
            .and_then(|n| n.rsplit_once(".tmp-"))
            .and_then(|(_, pid)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !running(pid) && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cjsim-outdir-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_staged_folder_vanishes_unless_committed_and_carries_its_file_list() {
        let base = temp("staged");
        let target = base.join("run");
        {
            let d = StagedDir::new(&target, "run", false).unwrap();
            d.write("a.txt", b"x").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(&base).unwrap().count(), 0, "staging left");
        let d = StagedDir::new(&target, "run", false).unwrap();
        d.write("a.txt", b"x").unwrap();
        d.commit().unwrap();
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "x");
        assert_eq!(Marker::read(&target).unwrap().files, vec!["a.txt"]);
        // A second run replaces it, and nothing is left beside it.
        let d = StagedDir::new(&target, "run", false).unwrap();
        d.write("b.txt", b"y").unwrap();
        d.commit().unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn user_files_in_a_cjsim_folder_need_force() {
        let base = temp("foreign");
        let target = base.join("run");
        let d = StagedDir::new(&target, "run", false).unwrap();
        d.write("a.txt", b"x").unwrap();
        d.commit().unwrap();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        let e = StagedDir::new(&target, "run", false).err().unwrap();
        assert!(e.to_string().contains("notes.txt"), "{e}");
        assert_eq!(e.exit_code(), 2);
        assert!(StagedDir::new(&target, "compare", false).is_err());
        let d = StagedDir::new(&target, "run", true).unwrap();
        d.commit().unwrap();
        assert!(!target.join("notes.txt").exists());
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn recovery_restores_an_old_folder_set_aside_and_removes_dead_staging() {
        let base = temp("recover");
        // A dead process (pid beyond pid_max) left an old result aside and a staging folder.
        let dead = 4_194_304 + 7;
        let old = base.join(sibling("run", OLD, dead));
        fs::create_dir(&old).unwrap();
        Marker::new("run").write(&old).unwrap();
        fs::write(old.join("x.csv"), "1").unwrap();
        let staging = base.join(sibling("run", STAGING, dead));
        fs::create_dir(&staging).unwrap();
        Marker::new("run").write(&staging).unwrap();
        // A folder of the user's with a look-alike name is not touched.
        let look_alike = base.join(sibling("mine", STAGING, dead));
        fs::create_dir(&look_alike).unwrap();
        fs::write(look_alike.join("plan.txt"), "mine").unwrap();
        // Killed before its marker was written: empty, or only the marker's temporary file.
        let bare = base.join(sibling("bare", STAGING, dead));
        fs::create_dir(&bare).unwrap();
        let half = base.join(sibling("half", STAGING, dead));
        fs::create_dir(&half).unwrap();
        fs::write(half.join(format!(".{MARKER}.tmp-{dead}")), "{").unwrap();
        // An unmarked look-alike with anything else in it is not cjsim's to remove.
        let other = base.join(sibling("other", STAGING, dead));
        fs::create_dir(&other).unwrap();
        fs::write(other.join("notes.txt"), "mine").unwrap();
        let done = recover(&base);
        assert_eq!(done.len(), 4, "{done:?}");
        assert!(!bare.exists() && !half.exists());
        assert!(other.join("notes.txt").exists());
        assert_eq!(fs::read_to_string(base.join("run/x.csv")).unwrap(), "1");
        assert!(!staging.exists());
        assert!(look_alike.exists());
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn sibling_names_parse_back() {
        assert_eq!(
            parse_sibling(".my.run.cjsim-staging-42"),
            Some(("my.run", STAGING, 42))
        );
        assert_eq!(parse_sibling(".run.cjsim-old-7"), Some(("run", OLD, 7)));
        assert_eq!(parse_sibling(".run.partial-7"), None);
        assert_eq!(parse_sibling("run.cjsim-old-7"), None);
    }
}
