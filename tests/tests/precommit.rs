//! The README's pre-commit snippet, taken from the README itself, works as written: it
//! passes pre-commit's own config validation, and its hooks, run by `pre-commit
//! try-repo` on this checkout, pass a repository holding a clean configuration in a
//! subdirectory and fail one holding a broken configuration.

use std::{
    path::Path,
    process::{Command, Output},
};

use serde_yaml_ng::Value;
use vpce_tests::{
    repo_root,
    tools::{external, vpce_binary},
};

/// The YAML block under the README's "As a pre-commit hook" heading.
fn readme_snippet() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let section = &readme[readme
        .find("### As a pre-commit hook")
        .expect("README has a pre-commit section")..];
    let start = section.find("```yaml\n").expect("a YAML block") + "```yaml\n".len();
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_string()
}

/// `python -m pre_commit ARGS` in `dir`, with `vpce` on `PATH` and a private cache.
fn pre_commit(python: &str, dir: &Path, cache: &Path, args: &[&str]) -> Output {
    let vpce_dir = vpce_binary().parent().unwrap();
    let path = std::env::join_paths(std::iter::once(vpce_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new(python)
        .args(["-m", "pre_commit"])
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", cache)
        .output()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// Stages this repository's `file` as `dir/main.hcl` in the user's repository.
fn add_configuration(user: &Path, file: &str, dir: &str) {
    std::fs::create_dir_all(user.join(dir)).unwrap();
    std::fs::copy(repo_root().join(file), user.join(dir).join("main.hcl")).unwrap();
    git(user, &["add", "."]);
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_readme_pre_commit_snippet_passes_clean_and_fails_broken_configurations() {
    let Some(python) = external("VPCE_TEST_PYTHON") else {
        return;
    };
    let has_pre_commit = Command::new(&python)
        .args(["-c", "import pre_commit"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        has_pre_commit,
        "pre-commit is not installed for {python}: run the tests with `bash scripts/test`"
    );
    let cache = tempfile::tempdir().unwrap();
    let snippet = readme_snippet();

    // The snippet as a user pastes it: pre-commit accepts it.
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join(".pre-commit-config.yaml"), &snippet).unwrap();
    let valid = pre_commit(
        &python,
        config.path(),
        cache.path(),
        &["validate-config", ".pre-commit-config.yaml"],
    );
    assert!(valid.status.success(), "{}", describe(&valid));
    let manifest = pre_commit(
        &python,
        &repo_root(),
        cache.path(),
        &["validate-manifest", ".pre-commit-hooks.yaml"],
    );
    assert!(manifest.status.success(), "{}", describe(&manifest));

    // It names this repository and pins a commit; try-repo stands in for both with
    // this checkout, and applies each hook as the snippet lists it: by id alone.
    let parsed: Value = serde_yaml_ng::from_str(&snippet).unwrap();
    let repo = &parsed["repos"][0];
    assert_eq!(
        repo["repo"].as_str(),
        Some(env!("CARGO_PKG_REPOSITORY")),
        "the snippet names this repository"
    );
    let rev = repo["rev"].as_str().unwrap_or_default();
    assert!(
        rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()),
        "the snippet pins a commit SHA, as its text says: `{rev}`"
    );
    let hooks: Vec<String> = repo["hooks"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|hook| {
            let keys: Vec<&str> = hook
                .as_mapping()
                .unwrap()
                .keys()
                .filter_map(Value::as_str)
                .collect();
            assert_eq!(
                keys,
                ["id"],
                "try-repo runs a hook by id: with other keys the test would not run the snippet as written"
            );
            hook["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(!hooks.is_empty());

    // A user's repository: the configuration lives in a subdirectory.
    let user = tempfile::tempdir().unwrap();
    git(user.path(), &["init", "--quiet"]);
    add_configuration(user.path(), "examples/quickstart/main.hcl", "infra/network");
    let checkout = repo_root().canonicalize().unwrap();
    let checkout = checkout.to_str().unwrap();
    let run_hooks = || -> Vec<Output> {
        hooks
            .iter()
            .map(|id| {
                pre_commit(
                    &python,
                    user.path(),
                    cache.path(),
                    &["try-repo", checkout, id, "--all-files"],
                )
            })
            .collect()
    };
    for output in run_hooks() {
        assert!(
            output.status.success(),
            "a clean configuration passes: {}",
            describe(&output)
        );
    }

    // A second configuration, broken, in another directory: the hook fails on it.
    add_configuration(
        user.path(),
        "tests/fixtures/V203-subnet-overlap/fail.hcl",
        "infra/edge",
    );
    for output in run_hooks() {
        let text = describe(&output);
        assert_eq!(output.status.code(), Some(1), "a broken one fails: {text}");
        assert!(text.contains("error[V203]"), "{text}");
        assert!(
            text.contains("`infra/network` checked: no problems found"),
            "each configuration is checked on its own: {text}"
        );
    }
}
