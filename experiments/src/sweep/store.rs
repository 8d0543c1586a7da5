//! Where finished runs are kept while a sweep is under way, so that killing it at any moment
//! loses nothing that was recorded and duplicates nothing when it starts again.
//!
//! **Architecture Invariant:** a run counts as done only once its chunk file is complete
//! (written under a temporary name, synced, renamed) *and* a line naming that chunk and its
//! checksum ends the completion log. A chunk without a log line, a log line whose chunk is
//! missing or differs, and a half-written last log line are all treated as never written: the
//! runs are done again. Each writer (the local process, or shard K of N) has its own log and
//! chunk names, and a lock file so that two processes never write under one name.
//!
//! Layout under `OUTDIR/runs/`: `TAG.lock`, `completed-TAG.log`, `TAG-000001.csv`, ... where
//! TAG is `local` or `shard-K-of-N`. A chunk line is `point,replication,seed,v1,v2,...` with
//! values in shortest round-trip form, so reading a chunk back gives the same bits.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{CliError, CliResult, io_error};

/// One finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// Point of the design.
    pub point: u64,
    /// Replication.
    pub replication: u32,
    /// The run's seed.
    pub seed: u64,
    /// Kept values, indicator-major then year.
    pub values: Vec<f64>,
}

/// FNV-1a, 64 bits: a checksum of a chunk's bytes.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The writer of one process: appends chunks and log lines under its tag.
pub struct ChunkWriter {
    dir: PathBuf,
    tag: String,
    log: File,
    next: u32,
    lock: PathBuf,
}

/// The lock file's content: who holds it.
fn holder() -> String {
    let host = fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown-host".into());
    format!("{host} {}", std::process::id())
}

/// Whether the lock `content` was left by a process of this host that no longer runs.
fn stale(content: &str) -> bool {
    let me = holder();
    let (my_host, _) = me.split_once(' ').unwrap_or((&me, ""));
    match content.trim().split_once(' ') {
        Some((host, pid)) if host == my_host => !Path::new("/proc").join(pid).exists(),
        _ => false,
    }
}

/// One line of a completion log: a chunk, its number of runs and its checksum.
#[derive(Clone, Debug, PartialEq)]
struct LogEntry {
    chunk: String,
    runs: usize,
    checksum: u64,
}

/// A completion log as read: its entries, and the length of its complete part (a half-written
/// last line, as a kill during an append leaves, is not part of it).
struct Log {
    entries: Vec<LogEntry>,
    complete_len: usize,
}

/// A log line: `NAME RUNS CHECKSUM`.
fn parse_log_line(line: &str) -> Option<LogEntry> {
    let mut it = line.split_whitespace();
    let chunk = it.next()?.to_string();
    let runs = it.next()?.parse().ok()?;
    let checksum = u64::from_str_radix(it.next()?, 16).ok()?;
    if it.next().is_some() || chunk.contains('/') {
        return None;
    }
    Some(LogEntry {
        chunk,
        runs,
        checksum,
    })
}

/// Reads a completion log. A torn last line is left out; any other damage (a complete line
/// that does not parse, bytes that are not text) is an error that names the line, so that
/// nothing is ever deleted or redone because a log could not be read. A missing log is empty.
fn read_log(path: &Path) -> CliResult<Log> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Log {
                entries: Vec::new(),
                complete_len: 0,
            });
        }
        Err(e) => return Err(io_error("read", path, e)),
    };
    let complete_len = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let damaged = |line: usize, why: &str| {
        CliError::BadInput(format!(
            "{}:{line}: the completion log is damaged ({why}); nothing was deleted. Repair or \
             remove that line (the runs of its chunk will then be done again) and start the \
             sweep again",
            path.display()
        ))
    };
    let mut entries = Vec::new();
    for (i, raw) in bytes[..complete_len].split(|b| *b == b'\n').enumerate() {
        if raw.is_empty() {
            continue;
        }
        let line = std::str::from_utf8(raw).map_err(|_| damaged(i + 1, "not text"))?;
        let entry =
            parse_log_line(line).ok_or_else(|| damaged(i + 1, "not `CHUNK RUNS CHECKSUM`"))?;
        entries.push(entry);
    }
    Ok(Log {
        entries,
        complete_len,
    })
}

impl ChunkWriter {
    /// Opens (or resumes) the writer `tag` in `runs_dir`: takes the lock, drops a half-written
    /// last log line, and removes chunks of this tag that no log line names.
    pub fn open(runs_dir: &Path, tag: &str) -> CliResult<ChunkWriter> {
        fs::create_dir_all(runs_dir).map_err(|e| io_error("create", runs_dir, e))?;
        let lock = runs_dir.join(format!("{tag}.lock"));
        match OpenOptions::new().write(true).create_new(true).open(&lock) {
            Ok(mut f) => f
                .write_all(holder().as_bytes())
                .map_err(|e| io_error("write", &lock, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let content = fs::read_to_string(&lock).unwrap_or_default();
                if !stale(&content) {
                    return Err(CliError::BadInput(format!(
                        "{} is locked by {} (another cjsim sweep writing the same results); \
                         wait for it, or delete the lock file if that process is gone",
                        lock.display(),
                        content.trim()
                    )));
                }
                fs::write(&lock, holder()).map_err(|e| io_error("write", &lock, e))?;
            }
            Err(e) => return Err(io_error("create", &lock, e)),
        }
        let log_path = runs_dir.join(format!("completed-{tag}.log"));
        let had_log = log_path.exists();
        let read = read_log(&log_path);
        let Log {
            entries,
            complete_len,
        } = match read {
            Ok(l) => l,
            Err(e) => {
                let _ = fs::remove_file(&lock);
                return Err(e);
            }
        };
        let named: Vec<&str> = entries.iter().map(|e| e.chunk.as_str()).collect();
        let prefix = format!("{tag}-");
        let seq = |name: &str| {
            name.strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(".csv"))
                .and_then(|s| s.parse::<u32>().ok())
        };
        let last_logged = named.iter().filter_map(|n| seq(n)).max().unwrap_or(0);
        let mut orphans = Vec::new();
        for entry in fs::read_dir(runs_dir).map_err(|e| io_error("list", runs_dir, e))? {
            let name = entry
                .map_err(|e| io_error("list", runs_dir, e))?
                .file_name()
                .to_string_lossy()
                .to_string();
            if let Some(n) = seq(&name)
                && !named.contains(&name.as_str())
            {
                // Only the chunk after the last logged one can lack its line (a kill between
                // its rename and its log line); anything else means the log lost lines.
                if n <= last_logged || !had_log {
                    let _ = fs::remove_file(&lock);
                    return Err(CliError::BadInput(format!(
                        "{}: chunk {name} is not named in {} although later chunks are; the \
                         log has lost lines. Nothing was deleted: restore the log, or move the \
                         chunks and the log away to start this writer afresh",
                        runs_dir.display(),
                        log_path.display()
                    )));
                }
                orphans.push(name);
            }
        }
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| io_error("open", &log_path, e))?;
        let len = log
            .metadata()
            .map_err(|e| io_error("read", &log_path, e))?
            .len();
        if (complete_len as u64) < len {
            log.set_len(complete_len as u64)
                .map_err(|e| io_error("repair", &log_path, e))?;
        }
        for name in &orphans {
            let p = runs_dir.join(name);
            fs::remove_file(&p).map_err(|e| io_error("remove", &p, e))?;
        }
        // Temporaries of chunks never renamed into place are not results.
        crate::outdir::remove_stale_temporaries(runs_dir);
        for entry in fs::read_dir(runs_dir).map_err(|e| io_error("list", runs_dir, e))? {
            let name = entry
                .map_err(|e| io_error("list", runs_dir, e))?
                .file_name()
                .to_string_lossy()
                .to_string();
            if name.starts_with(&prefix) && name.ends_with(".csv.tmp") {
                let _ = fs::remove_file(runs_dir.join(name));
            }
        }
        let next = last_logged + 1;
        Ok(ChunkWriter {
            dir: runs_dir.to_path_buf(),
            tag: tag.to_string(),
            log,
            next,
            lock,
        })
    }

    /// Records `runs` as done: one chunk, then one log line.
    pub fn append(&mut self, runs: &[RunRecord]) -> CliResult<()> {
        if runs.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for r in runs {
            use std::fmt::Write as _;
            let _ = write!(text, "{},{},{}", r.point, r.replication, r.seed);
            for v in &r.values {
                let _ = write!(text, ",{v}");
            }
            text.push('\n');
        }
        let name = format!("{}-{:06}.csv", self.tag, self.next);
        let tmp = self.dir.join(format!("{name}.tmp"));
        let path = self.dir.join(&name);
        {
            let mut f = File::create(&tmp).map_err(|e| io_error("create", &tmp, e))?;
            f.write_all(text.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| io_error("write", &tmp, e))?;
        }
        fs::rename(&tmp, &path).map_err(|e| io_error("rename", &tmp, e))?;
        let line = format!("{name} {} {:016x}\n", runs.len(), checksum(text.as_bytes()));
        self.log
            .write_all(line.as_bytes())
            .and_then(|()| self.log.sync_data())
            .map_err(|e| io_error("append to", &self.dir.join("completed.log"), e))?;
        self.next += 1;
        Ok(())
    }
}

impl Drop for ChunkWriter {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.lock);
    }
}

/// Every recorded run found under a results folder.
#[derive(Debug, Default)]
pub struct Recorded {
    /// Runs by (point, replication); the first copy found.
    pub runs: BTreeMap<(u64, u32), RunRecord>,
    /// Runs recorded more than once with the same values: (point, replication, logs).
    pub duplicates: Vec<(u64, u32, String)>,
    /// Runs recorded more than once with different values (nondeterminism, or two sweeps
    /// mixed in one folder).
    pub conflicts: Vec<(u64, u32, String)>,
    /// Writers (tags) that have a log.
    pub tags: Vec<String>,
}

/// Reads every log and chunk under `runs_dir`; each run must have `width` values. Chunks that
/// fail their checksum are skipped (their runs count as not done).
pub fn read_all(runs_dir: &Path, width: usize) -> CliResult<Recorded> {
    let mut out = Recorded::default();
    if !runs_dir.exists() {
        return Ok(out);
    }
    let mut logs: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(runs_dir).map_err(|e| io_error("list", runs_dir, e))? {
        let entry = entry.map_err(|e| io_error("list", runs_dir, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(tag) = name
            .strip_prefix("completed-")
            .and_then(|s| s.strip_suffix(".log"))
        {
            logs.push((tag.to_string(), entry.path()));
        }
    }
    logs.sort();
    for (tag, log) in logs {
        for LogEntry {
            chunk: name,
            runs: count,
            checksum: sum,
        } in read_log(&log)?.entries
        {
            let path = runs_dir.join(&name);
            let Ok(chunk) = fs::read_to_string(&path) else {
                continue;
            };
            if checksum(chunk.as_bytes()) != sum {
                continue;
            }
            let records = parse_chunk(&path, &chunk, width)?;
            if records.len() != count {
                continue;
            }
            for r in records {
                let key = (r.point, r.replication);
                match out.runs.get(&key) {
                    None => {
                        out.runs.insert(key, r);
                    }
                    Some(prev) if same(prev, &r) => {
                        out.duplicates.push((key.0, key.1, tag.clone()))
                    }
                    Some(_) => out.conflicts.push((key.0, key.1, tag.clone())),
                }
            }
        }
        out.tags.push(tag);
    }
    Ok(out)
}

/// Equal values, NaN equal to NaN.
fn same(a: &RunRecord, b: &RunRecord) -> bool {
    a.seed == b.seed
        && a.values.len() == b.values.len()
        && a.values
            .iter()
            .zip(&b.values)
            .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

fn parse_chunk(path: &Path, text: &str, width: usize) -> CliResult<Vec<RunRecord>> {
    let bad = |line: usize, why: &str| {
        CliError::BadInput(format!(
            "{}:{line}: {why}; the results folder is damaged (delete this chunk and its log \
             line, and the sweep will redo those runs)",
            path.display()
        ))
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut it = line.split(',');
        let mut int = |what: &str| -> CliResult<u64> {
            it.next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad(i + 1, &format!("no {what}")))
        };
        let point = int("point")?;
        let replication = int("replication")? as u32;
        let seed = int("seed")?;
        let values: Vec<f64> = it
            .map(|s| s.parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad(i + 1, "a value is not a number"))?;
        if values.len() != width {
            return Err(bad(
                i + 1,
                &format!("{} values where the manifest says {width}", values.len()),
            ));
        }
        out.push(RunRecord {
            point,
            replication,
            seed,
            values,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(point: u64, v: f64) -> RunRecord {
        RunRecord {
            point,
            replication: 0,
            seed: 7,
            values: vec![v, f64::NAN, 1.0 / 3.0],
        }
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cjsim-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn records_read_back_bit_for_bit() {
        let d = temp("roundtrip");
        let mut w = ChunkWriter::open(&d, "local").unwrap();
        w.append(&[record(0, 0.1), record(1, 1e-300)]).unwrap();
        w.append(&[record(2, -5.5)]).unwrap();
        drop(w);
        let got = read_all(&d, 3).unwrap();
        assert_eq!(got.runs.len(), 3);
        assert!(same(&got.runs[&(1, 0)], &record(1, 1e-300)));
        assert!(got.duplicates.is_empty() && got.conflicts.is_empty());
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn unlogged_chunks_and_torn_log_lines_count_as_not_done() {
        let d = temp("torn");
        let mut w = ChunkWriter::open(&d, "local").unwrap();
        w.append(&[record(0, 1.0)]).unwrap();
        w.append(&[record(1, 2.0)]).unwrap();
        drop(w);
        // Tear the last log line in half, as a kill during the append would.
        let log = d.join("completed-local.log");
        let text = fs::read_to_string(&log).unwrap();
        fs::write(&log, &text[..text.len() - 10]).unwrap();
        // A chunk renamed into place whose log line was never written.
        fs::write(d.join("local-000009.csv"), "5,0,7,1,2,3\n").unwrap();
        let got = read_all(&d, 3).unwrap();
        assert_eq!(got.runs.keys().copied().collect::<Vec<_>>(), vec![(0, 0)]);
        // Reopening repairs the log and removes the orphans; new chunks follow on.
        let mut w = ChunkWriter::open(&d, "local").unwrap();
        assert!(!d.join("local-000009.csv").exists());
        assert!(!d.join("local-000002.csv").exists());
        w.append(&[record(1, 2.0)]).unwrap();
        drop(w);
        let got = read_all(&d, 3).unwrap();
        assert_eq!(got.runs.len(), 2);
        fs::remove_dir_all(&d).unwrap();
    }

    /// Issue 12: one bad byte in the completion log used to delete every recorded chunk.
    #[test]
    fn a_damaged_log_stops_the_writer_and_deletes_no_chunk() {
        let d = temp("damaged");
        let mut w = ChunkWriter::open(&d, "local").unwrap();
        for i in 0..12 {
            w.append(&[record(i, 1.0)]).unwrap();
        }
        drop(w);
        let log = d.join("completed-local.log");
        let mut bytes = fs::read(&log).unwrap();
        bytes[3] = 0xff;
        fs::write(&log, &bytes).unwrap();
        let chunks = |d: &Path| {
            fs::read_dir(d)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .ends_with(".csv")
                })
                .count()
        };
        assert_eq!(chunks(&d), 12);
        let e = ChunkWriter::open(&d, "local").err().unwrap().to_string();
        assert!(
            e.contains("completed-local.log:1") && e.contains("nothing was deleted"),
            "{e}"
        );
        assert!(read_all(&d, 3).is_err());
        assert_eq!(chunks(&d), 12, "a chunk was deleted");
        // A line damaged in its text (not its bytes) is refused the same way.
        bytes[3] = b'x';
        let mut lines: Vec<u8> = bytes.clone();
        lines.splice(0..0, b"garbage line\n".iter().copied());
        fs::write(&log, &lines).unwrap();
        assert!(ChunkWriter::open(&d, "local").is_err());
        // The log removed altogether, with chunks present: refused too.
        fs::remove_file(&log).unwrap();
        assert!(ChunkWriter::open(&d, "local").is_err());
        assert_eq!(chunks(&d), 12);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_live_lock_refuses_a_second_writer_and_duplicates_are_told_apart() {
        let d = temp("lock");
        let w = ChunkWriter::open(&d, "local").unwrap();
        assert!(ChunkWriter::open(&d, "local").is_err());
        drop(w);
        let mut a = ChunkWriter::open(&d, "shard-1-of-2").unwrap();
        let mut b = ChunkWriter::open(&d, "shard-2-of-2").unwrap();
        a.append(&[record(0, 1.0), record(1, 1.0)]).unwrap();
        b.append(&[record(0, 1.0), record(1, 9.0)]).unwrap();
        let got = read_all(&d, 3).unwrap();
        assert_eq!(got.duplicates.len(), 1);
        assert_eq!(got.conflicts.len(), 1);
        assert_eq!(got.tags, vec!["local", "shard-1-of-2", "shard-2-of-2"]);
        drop((a, b));
        fs::remove_dir_all(&d).unwrap();
    }
}
