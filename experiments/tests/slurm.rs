//! `cjsim sweep --slurm` on a real single-node Slurm cluster (`.ci/slurm.sh` installs and starts
//! it): a 4-task job array of shards and the dependent merge job must give the table of a
//! local sweep, row for row. Skipped, with a message, only when not running as root.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{cjsim, text};
use std::time::{Duration, Instant};

use experiments::sweep::parquet;

fn root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/slurm.sh")
}

fn cluster_dir() -> PathBuf {
    std::env::var_os("CJSIM_SLURM_DIR").map_or("/tmp/cjsim-slurm".into(), PathBuf::from)
}

/// Whether a cluster answers with an idle node.
fn cluster_up(conf: &Path) -> bool {
    conf.exists()
        && Command::new("sinfo")
            .args(["-h", "-o", "%t"])
            .env("SLURM_CONF", conf)
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("idle"))
}

/// Stops the cluster on drop if this test started it.
struct Cluster {
    started_here: bool,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.started_here {
            let _ = Command::new("bash").arg(script()).arg("down").status();
        }
    }
}

#[test]
fn a_slurm_job_array_and_merge_equal_the_local_sweep() {
    if !root() {
        assert!(
            !common::in_ci(),
            "CI=true: the Slurm test needs root to start a local cluster (.ci/run runs as root)"
        );
        eprintln!(
            "SKIPPED: the Slurm test needs root to install and start a local cluster (.ci/slurm.sh up)"
        );
        return;
    }
    let conf = cluster_dir().join("slurm.conf");
    let _cluster = if cluster_up(&conf) {
        Cluster {
            started_here: false,
        }
    } else {
        let o = Command::new("bash")
            .arg(script())
            .arg("up")
            .output()
            .unwrap();
        assert!(o.status.success(), "slurm.sh up failed: {}", text(&o));
        Cluster { started_here: true }
    };
    assert!(cluster_up(&conf), "the cluster did not come up");

    let dir = std::env::temp_dir().join(format!("cjsim-slurm-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("s.toml"),
        r#"[sweep]
name = "slurm-test"
base = "coastal-middle-income"
design = "lhs"
samples = 9
replications = 2
seed = 5
agents = 2000
years = 3

[output]
indicators = ["court_backlog_cases", "prison_occupancy_pct"]

[[factors]]
key = "justice.court_capacity_multiplier"
min = 0.5
max = 1.5

[[factors]]
key = "interventions.legal_aid.coverage"
min = 0
max = 1
"#,
    )
    .unwrap();
    let o = cjsim(&["sweep", "s.toml", "--out", "local", "--csv", "-q"], &dir);
    assert!(o.status.success(), "{}", text(&o));
    let o = cjsim(
        &[
            "sweep",
            "s.toml",
            "--out",
            "cluster",
            "--slurm",
            "--array-size",
            "4",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("submit.sh"), "{}", text(&o));
    let submit = Command::new("bash")
        .arg(dir.join("cluster/slurm/submit.sh"))
        .env("SLURM_CONF", &conf)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(submit.status.success(), "{}", text(&submit));
    let said = String::from_utf8_lossy(&submit.stdout).to_string();
    let merge_job = said
        .split_whitespace()
        .last()
        .expect("submit.sh prints the merge job id")
        .to_string();
    // Wait for the merge job to leave the queue.
    let started = Instant::now();
    loop {
        let q = Command::new("squeue")
            .args(["-h", "-j", &merge_job])
            .env("SLURM_CONF", &conf)
            .output()
            .unwrap();
        if String::from_utf8_lossy(&q.stdout).trim().is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the Slurm jobs did not finish in 4 minutes"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    for k in 1..=4 {
        let log = dir.join(format!("cluster/runs/completed-shard-{k}-of-4.log"));
        assert!(log.exists(), "array task {k} left no log");
    }
    let merged = dir.join("cluster/results.parquet");
    assert!(
        merged.exists(),
        "the merge job wrote no results; its log: {}",
        std::fs::read_dir(dir.join("cluster/slurm"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("merge-"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .collect::<String>()
    );
    let (header, rows) = parquet::read(&merged).unwrap();
    let csv = std::fs::read_to_string(dir.join("local/results.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(header.join(","), lines.next().unwrap());
    let local: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), local.len());
    for (r, l) in rows.iter().zip(local) {
        assert_eq!(r.join(","), l);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
