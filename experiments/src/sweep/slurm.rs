//! Slurm job scripts for a sweep: a job array with one shard per task, and a merge job that
//! starts when every task has succeeded. The scripts use absolute paths (tasks may start on
//! other nodes, in other directories) and the shared results folder.

use std::path::Path;

use crate::progress::human_seconds;

/// What the scripts need to know.
pub struct SlurmJob<'a> {
    /// The cjsim binary.
    pub cjsim: &'a Path,
    /// The sweep file.
    pub sweep_file: &'a Path,
    /// Results folder.
    pub out: &'a Path,
    /// Tasks in the array (shards).
    pub tasks: u32,
    /// CPUs per task (`--jobs` inside each task).
    pub cpus: u32,
    /// Estimated seconds per task on one CPU, if known (sets `--time` with a margin).
    pub task_seconds: Option<f64>,
    /// Memory per task in MB.
    pub mem_mb: u64,
    /// Sweep name (job names).
    pub name: &'a str,
}

/// Single-quotes `s` for a POSIX shell.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `--time` for a task: three times the estimate plus ten minutes, as D-HH:MM:SS.
fn time_limit(seconds: f64) -> String {
    let s = (seconds * 3.0 + 600.0).ceil() as u64;
    format!(
        "{}-{:02}:{:02}:{:02}",
        s / 86_400,
        (s % 86_400) / 3600,
        (s % 3600) / 60,
        s % 60
    )
}

impl SlurmJob<'_> {
    /// The array job: task K of N runs `cjsim sweep FILE --shard K/N`.
    pub fn array_script(&self) -> String {
        let logs = self.out.join("slurm");
        let mut s = String::from("#!/bin/bash\n");
        s += &format!("#SBATCH --job-name={}-sweep\n", self.name);
        s += &format!("#SBATCH --array=1-{}\n", self.tasks);
        s += &format!("#SBATCH --cpus-per-task={}\n", self.cpus);
        s += &format!("#SBATCH --mem={}M\n", self.mem_mb);
        if let Some(t) = self.task_seconds {
            s += &format!(
                "#SBATCH --time={}  # 3 x the estimate ({}) + 10 min\n",
                time_limit(t / f64::from(self.cpus)),
                human_seconds(t / f64::from(self.cpus))
            );
        }
        s += &format!(
            "#SBATCH --output={}\n",
            logs.join("sweep-%A_%a.out").display()
        );
        s += "set -euo pipefail\n";
        s += "# One shard per array task; a task that is re-queued resumes where it stopped.\n";
        s += &format!(
            "exec {} sweep {} --out {} --shard \"${{SLURM_ARRAY_TASK_ID}}/${{SLURM_ARRAY_TASK_COUNT}}\" --jobs \"${{SLURM_CPUS_PER_TASK:-{}}}\" --quiet\n",
            sh_quote(&self.cjsim.display().to_string()),
            sh_quote(&self.sweep_file.display().to_string()),
            sh_quote(&self.out.display().to_string()),
            self.cpus
        );
        s
    }

    /// The merge job (run after the array with `--dependency=afterok`).
    pub fn merge_script(&self) -> String {
        let logs = self.out.join("slurm");
        let mut s = String::from("#!/bin/bash\n");
        s += &format!("#SBATCH --job-name={}-merge\n", self.name);
        s += "#SBATCH --cpus-per-task=1\n";
        s += &format!("#SBATCH --mem={}M\n", self.mem_mb.max(1024));
        s += &format!("#SBATCH --output={}\n", logs.join("merge-%j.out").display());
        s += "set -euo pipefail\n";
        s += &format!(
            "exec {} merge {}\n",
            sh_quote(&self.cjsim.display().to_string()),
            sh_quote(&self.out.display().to_string())
        );
        s
    }

    /// Submits the array, then the merge depending on it; prints both job ids.
    pub fn submit_script(&self) -> String {
        let dir = self.out.join("slurm");
        let q = |f: &str| sh_quote(&dir.join(f).display().to_string());
        format!(
            "#!/bin/bash\n\
             # Submits the sweep's job array and the merge job that waits for it.\n\
             set -euo pipefail\n\
             array=$(sbatch --parsable {})\n\
             array=${{array%%;*}}\n\
             merge=$(sbatch --parsable --dependency=afterok:$array {})\n\
             echo \"submitted array job $array ({} tasks) and merge job ${{merge%%;*}}\"\n",
            q("array.sbatch"),
            q("merge.sbatch"),
            self.tasks
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_the_shard_from_the_array_task_and_quote_paths() {
        let job = SlurmJob {
            cjsim: Path::new("/opt/cj sim/cjsim"),
            sweep_file: Path::new("/home/r/it's.toml"),
            out: Path::new("/scratch/out"),
            tasks: 4,
            cpus: 2,
            task_seconds: Some(3600.0),
            mem_mb: 2048,
            name: "demo",
        };
        let a = job.array_script();
        assert!(a.contains("#SBATCH --array=1-4\n"));
        assert!(a.contains("#SBATCH --cpus-per-task=2\n"));
        // 3600 s of work on 2 CPUs: 1800 s, times 3, plus 10 minutes.
        assert!(a.contains("#SBATCH --time=0-01:40:00"));
        assert!(a.contains("'/opt/cj sim/cjsim' sweep '/home/r/it'\\''s.toml'"));
        assert!(a.contains("--shard \"${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}\""));
        assert!(job.merge_script().contains("merge '/scratch/out'"));
        assert!(job.submit_script().contains("--dependency=afterok:$array"));
    }
}
