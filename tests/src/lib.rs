//! Helpers shared by the end-to-end tests: reading configurations from disk the way
//! the CLI does, and reading expectations out of fixtures and documentation pages.

pub mod tools;

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use vpce_diagnostics::{
    render::{render_human, HumanOptions},
    Code,
};
use vpce_driver::{Input, Outcome, SourceInput};
use vpce_model::FileLoader;

/// xorshift64*: small, seeded, good enough to pick mutations and generate inputs; a
/// failure reproduces from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// A test of a custom harness (libtest-mimic's, for tests made from a directory
/// listing) that fails by panicking, as a `#[test]` function does.
pub fn trial(name: &str, test: impl FnOnce() + Send + 'static) -> libtest_mimic::Trial {
    libtest_mimic::Trial::test(name, move || {
        test();
        Ok(())
    })
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `file()` relative to a directory on disk, confined to it.
pub struct DirLoader(pub PathBuf);

impl FileLoader for DirLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        fs::read_to_string(self.0.join(path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string(),
        })
    }

    fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let full = self.0.join(dir);
        if !full.is_dir() {
            return Err("no such directory".into());
        }
        let mut names: Vec<String> = sorted_entries(&full)
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
            .filter(|n| n.ends_with(".hcl"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        names.sort();
        Ok(names)
    }
}

/// Files given as text, by path from the configuration's directory: the module files
/// of a documentation page, read as `DirLoader` reads a directory.
#[derive(Default)]
pub struct TextFiles(pub BTreeMap<String, String>);

impl FileLoader for TextFiles {
    fn load(&self, path: &str) -> Result<String, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".into())
    }

    fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let prefix = format!("{dir}/");
        let names: Vec<String> = self
            .0
            .keys()
            .filter(|p| p.strip_prefix(&prefix).is_some_and(|n| !n.contains('/')))
            .filter(|p| p.ends_with(".hcl"))
            .cloned()
            .collect();
        if names.is_empty() {
            return Err("no such directory".into());
        }
        Ok(names)
    }
}

/// The files a Markdown page gives as ```` ```hcl PATH ```` blocks (a module's files),
/// which its examples may read; plain ```` ```hcl ```` blocks are the examples.
pub fn page_files(page: &str) -> TextFiles {
    let mut files = BTreeMap::new();
    for block in page.split("```hcl ").skip(1) {
        let Some((path, rest)) = block.split_once('\n') else {
            continue;
        };
        let end = rest.find("\n```").map_or(rest.len(), |e| e + 1);
        files.insert(path.trim().to_string(), rest[..end].to_string());
    }
    TextFiles(files)
}

/// Checks one configuration file given as text (`main.hcl`), with `files` beside it.
pub fn check_text_with(text: &str, files: &TextFiles) -> Outcome {
    let input = Input {
        files: vec![SourceInput {
            name: "main.hcl".into(),
            bytes: text.as_bytes().to_vec(),
        }],
        ..Input::default()
    };
    vpce_driver::check(&input, files).expect("the compiler does not fail")
}

/// Checks one file, or every `*.hcl` file of a directory in sorted order.
pub fn check_path(path: &Path) -> Outcome {
    let (root, files) = if path.is_dir() {
        let mut names: Vec<String> = fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".hcl"))
            .collect();
        names.sort();
        (path.to_path_buf(), names)
    } else {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        (path.parent().unwrap().to_path_buf(), vec![name])
    };
    let input = Input {
        files: files
            .into_iter()
            .map(|name| SourceInput {
                bytes: fs::read(root.join(&name)).unwrap(),
                name,
            })
            .collect(),
        ..Input::default()
    };
    vpce_driver::check(&input, &DirLoader(root)).expect("the compiler does not fail")
}

/// `(line, code)` of every diagnostic, by its primary label.
pub fn reported(outcome: &Outcome) -> BTreeSet<(usize, Code)> {
    outcome
        .diagnostics
        .iter()
        .map(|d| (outcome.primary_line(d), d.code))
        .collect()
}

/// `(line, code)` of every `#~ VNNN` marker in a fixture.
pub fn markers(text: &str) -> BTreeSet<(usize, Code)> {
    let mut out = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        if let Some((_, codes)) = line.split_once("#~") {
            for code in codes.split_whitespace() {
                let code = Code::lookup(code)
                    .unwrap_or_else(|| panic!("unknown code `{code}` in a marker"));
                out.insert((index + 1, code));
            }
        }
    }
    out
}

/// Diagnostics as a person sees them, without colour, 80 columns wide.
pub fn render(outcome: &Outcome) -> String {
    render_human(
        &outcome.diagnostics,
        &outcome.sources,
        &HumanOptions::default(),
    )
}

/// The ```hcl block that follows `heading` in a Markdown page.
pub fn hcl_block_after<'p>(page: &'p str, heading: &str) -> Option<&'p str> {
    let rest = &page[page.find(heading)? + heading.len()..];
    let start = rest.find("```hcl\n")? + "```hcl\n".len();
    let end = rest[start..].find("\n```")?;
    Some(&rest[start..start + end + 1])
}

/// A sorted list of the directories (or files) in `dir`.
pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

/// `vpce plan DIR [--against OLD] --format json`, which must succeed, as JSON.
pub fn plan_json(dir: &Path, against: Option<&Path>) -> serde_json::Value {
    let mut command = std::process::Command::new(tools::vpce_binary());
    command.arg("plan").arg(dir).args(["--format", "json"]);
    if let Some(old) = against {
        command.arg("--against").arg(old);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `(address, action)` of every resource of a JSON plan that is not unchanged.
pub fn changed_resources(plan: &serde_json::Value) -> Vec<(String, String)> {
    plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] != "unchanged")
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_string(),
                r["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
