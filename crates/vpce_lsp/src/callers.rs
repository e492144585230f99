//! Which configuration calls a directory as a module, so that a module's documents are
//! checked as part of it (with the values its `module` block gives) rather than alone.
//!
//! Only the literal `source` of top-level `module` blocks is read, with the outline
//! scanner; the server caches what each directory calls and forgets a directory's entry
//! when one of its files is opened, edited, saved or closed.

use std::path::{Path, PathBuf};

use vpce_driver::SourceInput;
use vpce_model::modules::{source_dir, MAX_DEPTH};

use crate::{outline, server::relative_name};

/// How many directories above a document its callers are looked for when no workspace
/// folder of the client contains it: enough for `modules/NAME` and for one module inside
/// another's directory (`modules/a/modules/b`). Inside a workspace folder, every
/// directory up to the folder is looked at, and none above it.
pub const LEVELS_WITHOUT_WORKSPACE: usize = 4;

/// The literal `source`s of the top-level `module` blocks of `files`, in order.
pub fn module_sources(files: &[SourceInput]) -> Vec<String> {
    let mut sources = Vec::new();
    for file in files {
        let text = String::from_utf8_lossy(&file.bytes);
        // Most files call no module and are not scanned at all.
        if !text.contains("module") {
            continue;
        }
        for block in outline::scan(&text).blocks {
            if block.kind.text != "module" {
                continue;
            }
            let source = block
                .body
                .attributes
                .into_iter()
                .find(|a| a.key.text == "source")
                .and_then(|a| a.string_value);
            sources.extend(source.map(|word| word.text));
        }
    }
    sources
}

/// The directory (relative to the unit's root, as the driver names it) that a `module`
/// block in `caller_dir` (relative to the same root) calls with `source`; `None` when
/// it leaves the root.
pub(crate) fn called_dir(caller_dir: &str, source: &str) -> Option<String> {
    // `source_dir` takes the calling file's name; any name in the directory will do.
    let caller = match caller_dir {
        "" => "_".to_string(),
        dir => format!("{dir}/_"),
    };
    source_dir(&caller, source)
}

/// The directories (relative to `root`, as the driver names them) that checking `root`
/// reads as modules, directly or through other modules, following calls as
/// `vpce_driver::check` does (to `MAX_DEPTH`, never outside `root`).
fn called_from(root: &Path, sources_of: &mut dyn FnMut(&Path) -> Vec<String>) -> Vec<String> {
    let resolve = |caller_dir: &str, sources: Vec<String>| -> Vec<String> {
        sources
            .iter()
            .filter_map(|source| called_dir(caller_dir, source))
            .collect()
    };
    let mut called: Vec<String> = Vec::new();
    let mut frontier = resolve("", sources_of(root));
    for _depth in 1..=MAX_DEPTH {
        let mut next = Vec::new();
        for dir in frontier {
            if dir.is_empty() || called.contains(&dir) {
                continue;
            }
            next.extend(resolve(&dir, sources_of(&root.join(&dir))));
            called.push(dir);
        }
        frontier = next;
    }
    called
}

/// The directory whose check includes `dir` as a module, or `None` when no directory
/// above it (within `top`, the workspace folder holding it, or `LEVELS_WITHOUT_WORKSPACE`
/// levels) calls it. The nearest caller is taken, and if that one is itself called, its
/// own nearest caller, and so on: the outermost configuration of the chain. A module
/// that two unrelated configurations call is so checked in the nearer of them.
pub fn calling_root(
    dir: &Path,
    top: Option<&Path>,
    sources_of: &mut dyn FnMut(&Path) -> Vec<String>,
) -> Option<PathBuf> {
    let mut callee = dir.to_path_buf();
    let mut root = None;
    for (level, ancestor) in dir.ancestors().skip(1).enumerate() {
        let within = match top {
            Some(top) => ancestor.starts_with(top),
            None => level < LEVELS_WITHOUT_WORKSPACE,
        };
        if !within {
            break;
        }
        let Some(relative) = callee.strip_prefix(ancestor).ok().and_then(relative_name) else {
            continue;
        };
        if called_from(ancestor, sources_of).contains(&relative) {
            root = Some(ancestor.to_path_buf());
            callee = ancestor.to_path_buf();
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn tree(calls: &[(&str, &[&str])]) -> HashMap<PathBuf, Vec<String>> {
        calls
            .iter()
            .map(|(dir, sources)| {
                let sources = sources.iter().map(|s| s.to_string()).collect();
                (PathBuf::from(dir), sources)
            })
            .collect()
    }

    fn root_of(calls: &HashMap<PathBuf, Vec<String>>, dir: &str) -> Option<PathBuf> {
        calling_root(Path::new(dir), Some(Path::new("/w")), &mut |d| {
            calls.get(d).cloned().unwrap_or_default()
        })
    }

    #[test]
    fn a_module_is_checked_in_the_outermost_of_its_chain_of_callers() {
        let calls = tree(&[
            ("/w/cfg", &["./modules/a", "git::https://example.com/x"]),
            ("/w/cfg/modules/a", &["../b", "./inner"]),
        ]);
        let cfg = Some(PathBuf::from("/w/cfg"));
        assert_eq!(root_of(&calls, "/w/cfg/modules/a"), cfg);
        // Called through another module only.
        assert_eq!(root_of(&calls, "/w/cfg/modules/b"), cfg);
        // Its nearest caller is a module itself.
        assert_eq!(root_of(&calls, "/w/cfg/modules/a/inner"), cfg);
        // Nobody calls these.
        assert_eq!(root_of(&calls, "/w/cfg/modules/c"), None);
        assert_eq!(root_of(&calls, "/w/cfg"), None);
    }

    #[test]
    fn callers_are_looked_for_within_the_workspace_folder() {
        let calls = tree(&[("/", &["./w/cfg/modules/a"]), ("/w", &["./cfg/m"])]);
        assert_eq!(root_of(&calls, "/w/cfg/modules/a"), None);
        assert_eq!(root_of(&calls, "/w/cfg/m"), Some(PathBuf::from("/w")));
        let without = calling_root(Path::new("/w/cfg/modules/a"), None, &mut |d| {
            calls.get(d).cloned().unwrap_or_default()
        });
        // Four levels up from `/w/cfg/modules/a` is `/`.
        assert_eq!(without, Some(PathBuf::from("/")));
    }

    #[test]
    fn only_literal_sources_of_module_blocks_are_read() {
        let file = |text: &str| SourceInput {
            name: "main.hcl".into(),
            bytes: text.as_bytes().to_vec(),
        };
        let files = [
            file(
                "module \"a\" {\n  source = \"./a\"\n}\nmodule \"b\" {\n  source = \"./${x}\"\n}\n",
            ),
            file("vpc \"main\" {\n  source = \"./not-a-module\"\n}\n"),
            file("# a module \"c\" in a comment\n"),
        ];
        assert_eq!(module_sources(&files), ["./a"]);
    }
}
