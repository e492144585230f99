//! The compiler's entry point: a pure function from sources, variables and a file
//! loader to a model and its diagnostics.
//!
//! Architecture invariant: nothing here reads the file system, the environment or the
//! clock; `vpce_cli` supplies all of it.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
};

use vpce_diagnostics::{
    sort_and_dedup, Code, Diagnostic, FileId, Origin, SourceFile, SourceMap, Span,
};
use vpce_model::{
    modules::ModuleDir, FileLoader, Model, NoFiles, ParsedFile, VarAssignment, VarInput,
};
use vpce_syntax::ast::Body;

pub use vpce_syntax::MAX_FILE_BYTES;

pub mod generate;
pub mod overlay;

/// One input file as bytes: a file that is not UTF-8 is a diagnostic, not a failure.
#[derive(Clone, Debug)]
pub struct SourceInput {
    /// Shown in diagnostics: relative to the configuration directory for its files,
    /// as given on the command line for `--var-file`s.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// `--var name=value`.
#[derive(Clone, Debug)]
pub struct VarFlag {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Configuration files, in the order they are read (sorted by name).
    pub files: Vec<SourceInput>,
    /// `--var-file` files, in command-line order; later files win.
    pub var_files: Vec<SourceInput>,
    /// `--var` flags, in command-line order; they win over var files.
    pub vars: Vec<VarFlag>,
}

/// The result of checking a configuration.
#[derive(Debug)]
pub struct Outcome {
    pub sources: SourceMap,
    pub model: Model,
    /// Sorted by file, offset and code; no duplicates.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The model as the backends take it, if the checks found no error in it.
    pub fn valid_model(&self) -> Result<vpce_model::ValidModel<'_>, vpce_model::NotValid> {
        vpce_model::ValidModel::new(&self.model, &self.diagnostics)
    }

    /// The 1-based line of a diagnostic's primary label (0 if it has none), as the
    /// tests compare diagnostics against line markers.
    pub fn primary_line(&self, diagnostic: &Diagnostic) -> usize {
        diagnostic
            .primary_span()
            .map_or(0, |span| self.sources.line_col(span).line)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("internal error: {0}; this is a bug in vpce, please report it with the input")]
    Internal(String),
}

/// hcl-edit recurses once per nesting level and needs up to 4 MiB of stack in debug
/// builds; the evaluator recurses on expressions too. 64 MiB covers both with room.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Parses, resolves and checks a configuration.
pub fn check(input: &Input, loader: &(dyn FileLoader + Sync)) -> Result<Outcome, DriverError> {
    check_owned(input.clone(), loader)
}

/// [`check`], taking the input by value: each file's bytes are freed as soon as the
/// source map holds its text, so a large configuration is not held twice (the CLI's way).
pub fn check_owned(input: Input, loader: &(dyn FileLoader + Sync)) -> Result<Outcome, DriverError> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("vpce-compiler".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, move || {
                catch_unwind(AssertUnwindSafe(|| check_here(input, loader)))
            })
            .map_err(|e| DriverError::Internal(format!("cannot start the compiler thread: {e}")))?;
        match worker.join() {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(panic)) | Err(panic) => Err(DriverError::Internal(panic_message(&panic))),
        }
    })
}

/// Checks one configuration file given as text, with no access to other files: for
/// tests and documentation examples.
pub fn check_text(text: &str) -> Outcome {
    let input = Input {
        files: vec![SourceInput {
            name: "main.hcl".into(),
            bytes: text.as_bytes().to_vec(),
        }],
        ..Input::default()
    };
    check(&input, &NoFiles).unwrap_or_else(|e| panic!("{e}"))
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the compiler panicked".into())
}

fn check_here(input: Input, loader: &dyn FileLoader) -> Outcome {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();

    // A file that does not parse stops the compilation after parsing, as in Terraform:
    // resolving the rest would report its missing declarations as other mistakes.
    let mut complete = true;
    // The configuration's own files are parsed in parallel (the files of a directory
    // are independent); results are taken in file order, so output stays the same.
    let added: Vec<(FileId, Option<Arc<str>>)> = input
        .files
        .into_iter()
        .map(|source| add_source(&mut sources, &mut diagnostics, source, Origin::Config))
        .collect();
    let files: Vec<ParsedFile> = parse_all(&added)
        .into_iter()
        .zip(&added)
        .map(|(parsed, (file, _))| {
            let body = parsed.and_then(|(body, mut found)| {
                diagnostics.append(&mut found);
                body
            });
            complete &= body.is_some();
            ParsedFile {
                file: *file,
                body: body.unwrap_or_default(),
            }
        })
        .collect();
    let mut parse = |sources: &mut SourceMap,
                     diagnostics: &mut Vec<Diagnostic>,
                     source: SourceInput,
                     origin: Origin| {
        let (file, text) = add_source(sources, diagnostics, source, origin);
        let body = text.and_then(|text| {
            let (body, mut found) = vpce_syntax::parse_file(file, &text);
            diagnostics.append(&mut found);
            body
        });
        complete &= body.is_some();
        ParsedFile {
            file,
            body: body.unwrap_or_default(),
        }
    };

    let var_bodies: Vec<Body> = input
        .var_files
        .into_iter()
        .map(|source| parse(&mut sources, &mut diagnostics, source, Origin::Given).body)
        .collect();
    let modules = read_modules(&files, loader, &mut sources, &mut |sources, source| {
        parse(sources, &mut diagnostics, source, Origin::Config)
    });
    if !complete {
        sort_and_dedup(&mut diagnostics, &sources);
        return Outcome {
            sources,
            model: Model::default(),
            diagnostics,
        };
    }

    let mut assignments = Vec::new();
    for body in var_bodies {
        var_file_assignments(body, &mut assignments, &mut diagnostics);
    }
    for flag in &input.vars {
        // Each flag is a small source of its own so its diagnostics can point into it;
        // it is named after the flag, not after a file that does not exist.
        let text = format!("{}={}", flag.name, flag.value);
        let file = sources.push(
            SourceFile::new(format!("--var {}=...", flag.name), text).with_origin(Origin::Flag),
        );
        let name_end = flag.name.len();
        assignments.push(VarAssignment {
            name: flag.name.clone(),
            name_span: Span::new(file, 0, name_end),
            input: VarInput::Text {
                text: flag.value.clone(),
                span: Span::new(file, name_end + 1, name_end + 1 + flag.value.len()),
            },
        });
    }

    let (model, mut found) =
        vpce_model::resolve(&files, &modules, &assignments, loader, &mut sources);
    diagnostics.append(&mut found);
    // The syntax trees are read by resolution only: free them before the rules run.
    drop(files);
    drop(modules);
    diagnostics.extend(vpce_check::check(&model));
    vpce_model::modules::note_origins(&model, &sources, &mut diagnostics);
    sort_and_dedup(&mut diagnostics, &sources);
    Outcome {
        sources,
        model,
        diagnostics,
    }
}

/// Reads and parses the module directories the configuration calls, breadth first
/// (each once, at most `MAX_DEPTH` calls deep: a deeper call is V117 without reading
/// it). Which call is valid is the resolver's to say; a directory that cannot be read
/// keeps the loader's reason for it.
fn read_modules(
    files: &[ParsedFile],
    loader: &dyn FileLoader,
    sources: &mut SourceMap,
    parse: &mut dyn FnMut(&mut SourceMap, SourceInput) -> ParsedFile,
) -> Vec<ModuleDir> {
    use vpce_model::modules::{called_dirs, MAX_DEPTH};
    let calls = |sources: &SourceMap, parsed: &[ParsedFile]| -> Vec<String> {
        parsed
            .iter()
            .flat_map(|f| called_dirs(&f.body, &sources.get(f.file).name))
            .collect()
    };
    let mut modules: Vec<ModuleDir> = Vec::new();
    let mut frontier = calls(sources, files);
    for _depth in 1..=MAX_DEPTH {
        let mut next = Vec::new();
        for dir in frontier {
            // The root itself is never read as a module: calling it is a cycle.
            if dir.is_empty() || modules.iter().any(|m| m.dir == dir) {
                continue;
            }
            let parsed = loader.hcl_files(&dir).and_then(|paths| {
                if paths.is_empty() {
                    return Err("it has no `.hcl` files".into());
                }
                paths
                    .into_iter()
                    .map(|name| {
                        let bytes = loader
                            .load_bytes(&name)
                            .map_err(|e| format!("cannot read `{name}`: {e}"))?;
                        Ok(parse(sources, SourceInput { name, bytes }))
                    })
                    .collect::<Result<Vec<_>, String>>()
            });
            if let Ok(parsed) = &parsed {
                next.extend(calls(sources, parsed));
            }
            modules.push(ModuleDir { dir, files: parsed });
        }
        frontier = next;
    }
    modules
}

/// Adds a file to the source map and returns its text to parse; invalid UTF-8 becomes
/// V100 at the first bad byte, the valid part is kept for display, and nothing is parsed.
/// Parses each text (`None`: not UTF-8, nothing to parse) on up to as many threads as
/// the machine has cores, each with the compiler's stack; the results are in input order.
#[allow(clippy::type_complexity)]
fn parse_all(texts: &[(FileId, Option<Arc<str>>)]) -> Vec<Option<(Option<Body>, Vec<Diagnostic>)>> {
    let parse = |(file, text): &(FileId, Option<Arc<str>>)| {
        text.as_ref()
            .map(|text| vpce_syntax::parse_file(*file, text))
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(texts.len());
    if workers <= 1 {
        return texts.iter().map(parse).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<_>>> = texts.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(text) = texts.get(index) else { break };
        let parsed = parse(text);
        *results[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(parsed);
    };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            // A helper that cannot start leaves its share to the others.
            let _ = std::thread::Builder::new()
                .name("vpce-parser".into())
                .stack_size(STACK_BYTES)
                .spawn_scoped(scope, work);
        }
        // This thread (the compiler's, with its large stack) parses too.
        work();
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every file is parsed")
        })
        .collect()
}

fn add_source(
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
    source: SourceInput,
    origin: Origin,
) -> (FileId, Option<Arc<str>>) {
    match String::from_utf8(source.bytes) {
        Ok(text) => {
            // The bytes are freed here, once the map has its copy; that copy is the one
            // parsed, so a large file is never held twice for long.
            let file = sources.push(SourceFile::new(source.name, text).with_origin(origin));
            (file, Some(Arc::clone(&sources.get(file).text)))
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
            let file =
                sources.push(SourceFile::new(source.name, text.as_str()).with_origin(origin));
            diagnostics.push(
                Diagnostic::new(
                    Code::SyntaxError,
                    format!("the file is not valid UTF-8 (byte {valid})"),
                )
                .with_label(Span::new(file, valid, valid), "invalid UTF-8 starts here")
                .with_help("save the file as UTF-8"),
            );
            // Nothing after the bad byte is read, so nothing else is reported about it.
            (file, None)
        }
    }
}

fn var_file_assignments(
    body: Body,
    assignments: &mut Vec<VarAssignment>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for block in body.blocks {
        diagnostics.push(
            Diagnostic::new(
                Code::UnknownBlock,
                "a variable file holds only `name = value` lines",
            )
            .with_label(block.kind.span, "a block")
            .with_help("write each variable's value as an attribute: `env = \"prod\"`"),
        );
    }
    for attribute in body.attributes {
        assignments.push(VarAssignment {
            name: attribute.key.name,
            name_span: attribute.key.span,
            input: VarInput::Expr(attribute.value),
        });
    }
}
