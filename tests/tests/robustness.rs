//! No input makes vpce panic, hang or fail: thousands of mutated and adversarial inputs
//! go through `check`, and each one ends in diagnostics (or none), never an internal
//! error. The mutations are seeded, so a failure reproduces.

use vpce_driver::{Input, SourceInput};
use vpce_tests::{repo_root, sorted_entries, DirLoader, Rng};

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b"\"",
    b"${",
    b"%{",
    b"=",
    b"\n",
    b"#",
    b"/*",
    b"*/",
    b"<<EOT\n",
    b"<<-EOT\n",
    b"EOT\n",
    b"\\",
    b".",
    b"*",
    b",",
    b"...",
    b"?",
    b":",
    b"-1",
    b"1e400",
    b"\xff",
    b"\xc3\x28",
    b"\0",
    b"vpc.main",
    b"local.x",
    b"var.y",
    b"subnet.",
    b"endpoint_service",
    b"file(\"../../etc/passwd\")",
    b"file(\"/etc/passwd\")",
    b"cidrsubnet(\"10.0.0.0/16\", 200, 1)",
    b"cidrhost(\"10.0.0.0/30\", 99999999999)",
    b"format(\"%d %s %q\")",
    b"jsonencode(vpc.main)",
    b"locals { a = local.a }",
    b"[for x in [1] : x]",
    b"x[*].y",
    b"vpc \"v\" {}",
    b"\"10.0.0.1/33\"",
];

fn mutate(rng: &mut Rng, original: &[u8]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(40)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            2 => bytes.truncate(at),
            3 if !bytes.is_empty() => {
                let start = rng.below(bytes.len());
                let end = (start + rng.below(200)).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(at..at, copy);
            }
            4 if at < bytes.len() => bytes[at] = rng.next_u64() as u8,
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.extend_from_slice(token);
            }
        }
    }
    bytes
}

fn corpus() -> Vec<Vec<u8>> {
    let root = repo_root();
    let mut files = Vec::new();
    for dir in sorted_entries(&root.join("examples"))
        .into_iter()
        .filter(|p| p.is_dir())
    {
        for file in sorted_entries(&dir) {
            if file.extension().is_some_and(|e| e == "hcl") {
                files.push(std::fs::read(file).unwrap());
            }
        }
    }
    for dir in sorted_entries(&root.join("tests/fixtures"))
        .into_iter()
        .filter(|p| p.is_dir())
    {
        for name in ["fail.hcl", "pass.hcl"] {
            if let Ok(bytes) = std::fs::read(dir.join(name)) {
                files.push(bytes);
            }
        }
    }
    assert!(files.len() > 10, "the corpus is the examples and fixtures");
    files
}

/// Checks one input; returns whether it was clean enough to reach the backends.
fn check_bytes(bytes: Vec<u8>) -> bool {
    let input = Input {
        files: vec![SourceInput {
            name: "main.hcl".into(),
            bytes,
        }],
        ..Input::default()
    };
    // The loader is rooted in an empty temporary place: `file()` finds nothing.
    let loader = DirLoader(std::env::temp_dir().join("vpce-robustness-nonexistent"));
    let outcome = vpce_driver::check(&input, &loader).expect("no internal error");
    // A configuration without errors goes on to the backends, which must not fail either.
    let clean = !outcome.has_errors();
    if clean {
        let model = outcome
            .valid_model()
            .unwrap_or_else(|e| panic!("a configuration without errors must be valid: {e}"));
        let build = vpce_emit_cfn::build(&model, &vpce_emit_cfn::BuildOptions::default())
            .unwrap_or_else(|e| panic!("a configuration without errors must build: {e}"));
        let _ = build.files(vpce_emit_cfn::Format::Yaml);
        let options = vpce_emit_plan::Options::default();
        let _ = vpce_emit_plan::plan(&model, vpce_emit_plan::Previous::Nothing, &options);
    }
    for diagnostic in &outcome.diagnostics {
        assert!(!diagnostic.message.is_empty());
        assert!(
            !diagnostic.labels.is_empty(),
            "every finding points somewhere: {diagnostic:?}"
        );
        // Rendering must not fail either.
        let _ = vpce_tests::render(&outcome);
    }
    clean
}

#[test]
fn thousands_of_mutated_configurations() {
    let corpus = corpus();
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut count = 0;
    let mut reached_backends = 0;
    while count < 3000 {
        let original = &corpus[rng.below(corpus.len())];
        reached_backends += usize::from(check_bytes(mutate(&mut rng, original)));
        count += 1;
    }
    // Some mutations keep the configuration valid (comments, whitespace, duplicated
    // blocks under new names): those exercise `build` and `plan` too.
    assert!(
        reached_backends >= 30,
        "only {reached_backends} mutations reached the backends"
    );
}

#[test]
fn adversarial_inputs() {
    let deep = 100_000;
    let cases: Vec<Vec<u8>> = vec![
        format!("x = {}", "[".repeat(deep)).into_bytes(),
        format!("x = {}1{}", "[".repeat(deep), "]".repeat(deep)).into_bytes(),
        format!("x = {}1{}", "(".repeat(deep), ")".repeat(deep)).into_bytes(),
        "{".repeat(deep).into_bytes(),
        format!("x = {}1", "-".repeat(deep)).into_bytes(),
        format!("x = {}true", "!".repeat(deep)).into_bytes(),
        format!("x = {}", "1 + ".repeat(deep)).into_bytes(),
        format!("x = \"{}\"", "${\"".repeat(5_000)).into_bytes(),
        format!("x = vpc.main{}", ".a".repeat(deep)).into_bytes(),
        format!("vpc {} {{}}", "\"a\" ".repeat(10_000)).into_bytes(),
        format!("region = \"{}\"", "a".repeat(7 * 1024 * 1024)).into_bytes(),
        vec![b'#'; vpce_driver::MAX_FILE_BYTES + 1],
        vec![0xff; 1024],
        vec![0; 1024],
        b"x = <<EOT\nnever closed".to_vec(),
        b"region = \"eu-west-1\"\nvpc \"a\" { cidr = cidrsubnet(\"10.0.0.0/8\", 1e308, 1e308) }"
            .to_vec(),
        b"region = \"eu-west-1\"\nvpc \"a\" { cidr = format(\"%d\", 1.5) }".to_vec(),
        // A long chain of locals.
        {
            let mut text = String::from("region = \"eu-west-1\"\nlocals {\n");
            for i in 0..5_000 {
                text.push_str(&format!("  l{i} = local.l{}\n", i + 1));
            }
            text.push_str("  l5000 = 1\n}\n");
            text.into_bytes()
        },
        // Many objects referring to each other's attributes in a ring.
        {
            let mut text = String::from("region = \"eu-west-1\"\n");
            for i in 0..1_000 {
                text.push_str(&format!(
                    "vpc \"v{i}\" {{ cidr = vpc.v{}.cidr }}\n",
                    (i + 1) % 1_000
                ));
            }
            text.into_bytes()
        },
    ];
    for case in cases {
        let _ = check_bytes(case);
    }
}

/// Byte offsets and characters meet wherever a diagnostic slices the source: multi-byte
/// characters (two, three and four bytes) inserted at seeded places of every example
/// and fixture must never land a slice inside a character. Reproducer: a duplicated
/// attribute with `# café` between the copies panicked in `vpce_syntax`.
#[test]
fn multi_byte_characters_anywhere() {
    let reproducer = "region = \"eu-west-1\"\nvpc \"a\" {\n  cidr = \"10.0.0.0/16\"\n  # café\n  cidr = \"10.1.0.0/16\"\n}\n";
    let outcome = vpce_driver::check_text(reproducer);
    assert_eq!(
        outcome
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["V100"],
        "{}",
        vpce_tests::render(&outcome)
    );
    let corpus = corpus();
    let mut rng = Rng(0x5eed_cafe_f00d_0002);
    for _ in 0..1500 {
        let original = &corpus[rng.below(corpus.len())];
        let mut text = String::from_utf8(original.clone()).unwrap();
        for _ in 0..1 + rng.below(3) {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let insert = ["é", "€", "日本", "🦀", "\u{301}", "\u{200b}"][rng.below(6)];
            text.insert_str(at, insert);
        }
        check_bytes(text.into_bytes());
    }
}
