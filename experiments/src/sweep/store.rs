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

/// Complete lines of a log (a half-written last line is not one) and their byte length.
fn complete_lines(text: &str) -> (Vec<&str>, usize) {
    let end = text.rfind('\n').map_or(0, |i| i + 1);
    (text[..end].lines().collect(), end)
}

/// A log line: (chunk file name, runs, checksum).
fn parse_log_line(line: &str) -> Option<(&str, usize, u64)> {
    let mut it = line.split_whitespace();
    let name = it.next()?;
    let runs = it.next()?.parse().ok()?;
    let sum = u64::from_str_radix(it.next()?, 16).ok()?;
    Some((name, runs, sum))
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
        let text = fs::read_to_string(&log_path).unwrap_or_default();
        let (lines, end) = complete_lines(&text);
        let named: Vec<&str> = lines
            .iter()
            .filter_map(|l| parse_log_line(l).map(|x| x.0))
            .collect();
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| io_error("open", &log_path, e))?;
        if end < text.len() {
            log.set_len(end as u64)
                .map_err(|e| io_error("repair", &log_path, e))?;
        }
        let prefix = format!("{tag}-");
        let mut next = 1;
        for entry in fs::read_dir(runs_dir).map_err(|e| io_error("list", runs_dir, e))? {
            let name = entry
                .map_err(|e| io_error("list", runs_dir, e))?
                .file_name()
                .to_string_lossy()
                .to_string();
            let Some(rest) = name.strip_prefix(&prefix) else {
                continue;
            };
            if named.contains(&name.as_str()) {
                if let Some(seq) = rest
                    .strip_suffix(".csv")
                    .and_then(|s| s.parse::<u32>().ok())
                {
                    next = next.max(seq + 1);
                }
            } else {
                let p = runs_dir.join(&name);
                fs::remove_file(&p).map_err(|e| io_error("remove", &p, e))?;
            }
        }
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
        let text = fs::read_to_string(&log).map_err(|e| io_error("read", &log, e))?;
        let (lines, _) = complete_lines(&text);
        for line in lines {
            let Some((name, count, sum)) = parse_log_line(line) else {
                continue;
            };
            let path = runs_dir.join(name);
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
