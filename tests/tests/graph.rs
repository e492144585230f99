//! `vpce graph`: the topology of every example, as Mermaid and DOT (snapshots, read like
//! code), deterministic, and drawn by Graphviz (`VPCE_TEST_DOT`, set by
//! `bash scripts/test`; without it the rendering check prints `SKIPPED`, and fails in CI).

use std::{io::Write, process::Command};

use vpce_tests::{check_path, render, repo_root, sorted_entries, tools::external};

fn examples() -> Vec<(String, vpce_graph::Topology)> {
    sorted_entries(&repo_root().join("examples"))
        .into_iter()
        .filter(|p| p.is_dir())
        .map(|dir| {
            let outcome = check_path(&dir);
            assert!(!outcome.has_errors(), "{}", render(&outcome));
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            (name, vpce_graph::topology(&outcome.model))
        })
        .collect()
}

#[test]
fn every_example_as_mermaid_and_dot() {
    for (name, topology) in examples() {
        insta::assert_snapshot!(
            format!("{name}.mermaid"),
            vpce_graph::mermaid(&topology, &[])
        );
        insta::assert_snapshot!(format!("{name}.dot"), vpce_graph::dot(&topology));
    }
}

#[test]
fn the_diagram_is_the_same_on_every_run() {
    let dir = repo_root().join("examples/gwlb-inspection");
    let first = vpce_graph::dot(&vpce_graph::topology(&check_path(&dir).model));
    let second = vpce_graph::dot(&vpce_graph::topology(&check_path(&dir).model));
    assert_eq!(first, second);
}

#[test]
fn graphviz_draws_every_example() {
    let Some(dot) = external("VPCE_TEST_DOT") else {
        return;
    };
    for (name, topology) in examples() {
        let mut child = Command::new(&dot)
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {dot}: {e}"));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(vpce_graph::dot(&topology).as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.trim().is_empty(),
            "{name}: dot failed or warned: {stderr}"
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("<svg"));
    }
}
