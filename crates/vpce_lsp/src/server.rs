//! The message loop: documents, configuration units, and dispatch to the features.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    panic::{catch_unwind, AssertUnwindSafe},
    path::{Path, PathBuf},
    sync::Arc,
};

use crossbeam_channel::TryRecvError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    notification::{self, Notification as _},
    request::{self, Request as _},
    CompletionOptions, Diagnostic, HoverProviderCapability, InitializeParams, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentContentChangeEvent, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde_json::Value;
use vpce_diagnostics::Origin;
use vpce_driver::{overlay::Overlay, Input, SourceInput};

use crate::{
    callers, diagnostics,
    outline::{self, Body},
    position::{Encoding, LineIndex},
    workspace::Workspace,
};

/// Serves one client on `connection` until it shuts down or disconnects. An error is
/// a broken connection (the client went away mid-message), never bad input.
pub fn run(connection: &Connection, workspace: &dyn Workspace) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    // Parameters a client gets wrong are read as defaults rather than refused.
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = negotiate_encoding(&params);
    let workspace_folders = workspace_folders(&params);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo {
            name: "vpce".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    Server {
        connection,
        workspace,
        encoding,
        documents: HashMap::new(),
        units: HashMap::new(),
        stale: BTreeSet::new(),
        workspace_folders,
        module_sources: HashMap::new(),
        calling_roots: HashMap::new(),
        roots_outdated: false,
    }
    .serve()
}

/// The client's workspace folders (and its older `rootUri`), as directories.
#[allow(deprecated)]
fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    let folders = params.workspace_folders.iter().flatten().map(|f| &f.uri);
    folders
        .chain(params.root_uri.as_ref())
        .filter_map(|uri| file_path(uri.as_str()))
        .collect()
}

/// UTF-8 when the client offers it (no conversion at all), else the protocol's UTF-16.
fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), "=".into()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// An open document, as the editor holds it.
pub(crate) struct Document {
    pub text: String,
    pub version: i32,
}

/// Which documents are checked together: a directory (a `file:` URI's parent, as
/// `vpce check DIR`), or a document alone (an `untitled:` buffer, any other scheme).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum UnitKey {
    Directory(PathBuf),
    Alone(String),
}

/// What the last check of a unit saw, for the features and for clearing diagnostics.
#[derive(Default)]
pub(crate) struct UnitState {
    /// The unit's configuration files and the `.hcl` files of the modules it read, at
    /// the last check.
    pub files: Vec<UnitFile>,
    /// The URIs diagnostics were last published to, with those diagnostics.
    pub published: BTreeMap<String, Vec<Diagnostic>>,
}

type DiagnosticsByUri = BTreeMap<String, Vec<Diagnostic>>;

/// One configuration file of a unit and its outline.
pub(crate) struct UnitFile {
    pub uri: String,
    pub text: Arc<str>,
    pub outline: Body,
}

pub(crate) struct Server<'a> {
    connection: &'a Connection,
    pub workspace: &'a dyn Workspace,
    pub encoding: Encoding,
    pub documents: HashMap<String, Document>,
    pub units: HashMap<UnitKey, UnitState>,
    /// Units whose documents changed since they were last checked.
    stale: BTreeSet<UnitKey>,
    workspace_folders: Vec<PathBuf>,
    /// The literal `source`s of the `module` blocks of a directory's files, as the editor
    /// sees them; an entry goes when a document of its directory changes.
    module_sources: HashMap<PathBuf, Vec<String>>,
    /// The directories of open documents that a configuration above calls as a module,
    /// with that configuration's directory: their unit.
    calling_roots: HashMap<PathBuf, PathBuf>,
    /// A document was opened, edited, saved or closed since `calling_roots` was made.
    roots_outdated: bool,
}

impl Server<'_> {
    fn serve(&mut self) -> Result<(), String> {
        loop {
            // Messages that are waiting are handled first, so a burst of edits is
            // checked once, after the last of them.
            let message = if self.stale.is_empty() {
                match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(()),
                }
            } else {
                match self.connection.receiver.try_recv() {
                    Ok(message) => message,
                    Err(TryRecvError::Empty) => {
                        self.check_stale();
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => return Ok(()),
                }
            };
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    self.refresh_calling_roots();
                    let response = self.respond(request);
                    self.send(response.into());
                }
                Message::Notification(note) if note.method == notification::Exit::METHOD => {
                    return Ok(());
                }
                Message::Notification(note) => self.notify(note),
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: Message) {
        // A client that went away ends the loop at the next receive.
        let _ = self.connection.sender.send(message);
    }

    /// Answers a request; a panic in a feature is a bug, reported to the client as an
    /// internal error rather than ending the server.
    fn respond(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.dispatch(request)));
        match outcome {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error in vpce lsp; this is a bug in vpce, please report it".into(),
            ),
        }
    }

    fn dispatch(&mut self, request: Request) -> Result<Value, (ErrorCode, String)> {
        fn params<P: serde::de::DeserializeOwned>(
            request: Request,
        ) -> Result<P, (ErrorCode, String)> {
            serde_json::from_value(request.params)
                .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        let json = |value: Result<Value, serde_json::Error>| {
            value.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match request.method.as_str() {
            request::HoverRequest::METHOD => json(serde_json::to_value(crate::hover::hover(
                self,
                params(request)?,
            ))),
            request::GotoDefinition::METHOD => json(serde_json::to_value(
                crate::definition::definition(self, params(request)?),
            )),
            request::Completion::METHOD => json(serde_json::to_value(
                crate::completion::completion(self, params(request)?),
            )),
            request::DocumentSymbolRequest::METHOD => json(serde_json::to_value(
                crate::symbols::document_symbols(self, params(request)?),
            )),
            request::Formatting::METHOD => json(serde_json::to_value(
                crate::formatting::formatting(self, params(request)?),
            )),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("vpce lsp does not handle `{method}`"),
            )),
        }
    }

    fn notify(&mut self, note: Notification) {
        fn params<P: serde::de::DeserializeOwned>(note: Notification) -> Option<P> {
            serde_json::from_value(note.params).ok()
        }
        match note.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(note) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                self.documents.insert(
                    uri.clone(),
                    Document {
                        text: p.text_document.text,
                        version: p.text_document.version,
                    },
                );
                self.touched(&uri);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(note) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                let encoding = self.encoding;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return;
                };
                for change in p.content_changes {
                    apply_change(&mut document.text, change, encoding);
                }
                document.version = p.text_document.version;
                self.touched(&uri);
            }
            notification::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(note) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                // A unit with documents still open is checked again, the closed one from
                // disk; one with none left is dropped in `check_stale`.
                self.touched(&uri);
                self.documents.remove(&uri);
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidSaveTextDocumentParams>(note) {
                    self.touched(p.text_document.uri.as_str());
                }
            }
            // Files changed on disk (another tool, a `git checkout`): every directory
            // with open documents is checked again, and which calls which read again.
            notification::DidChangeWatchedFiles::METHOD => {
                let keys: Vec<UnitKey> = self.units.keys().cloned().collect();
                self.stale.extend(keys);
                self.module_sources.clear();
                self.roots_outdated = true;
            }
            _ => {}
        }
    }

    /// A document of `uri`'s unit was opened, edited, saved or is being closed.
    fn touched(&mut self, uri: &str) {
        self.stale.insert(self.unit_key(uri));
        if let Some(dir) = file_path(uri).as_deref().and_then(Path::parent) {
            self.module_sources.remove(dir);
        }
        self.roots_outdated = true;
    }

    /// Finds the callers of modules again if a document was opened, edited or closed
    /// since: before a check, and before a request (which may come before the check of
    /// the document just opened, and must read a module's files from its caller's unit).
    fn refresh_calling_roots(&mut self) {
        if self.roots_outdated {
            // A bug here leaves each document in its own directory's unit, as before.
            let found = catch_unwind(AssertUnwindSafe(|| self.find_calling_roots()));
            if found.is_err() {
                self.calling_roots.clear();
                self.show_error("internal error in vpce lsp while finding the callers of modules; this is a bug in vpce, please report it");
            }
        }
    }

    fn check_stale(&mut self) {
        self.refresh_calling_roots();
        let stale = std::mem::take(&mut self.stale);
        // Units without open documents are dropped first, so that the diagnostics they
        // clear are not ones a unit checked after them has just published.
        let (live, dropped): (Vec<UnitKey>, Vec<UnitKey>) = stale
            .into_iter()
            .partition(|key| self.documents.keys().any(|uri| self.unit_key(uri) == *key));
        for key in dropped {
            if let Some(unit) = self.units.remove(&key) {
                for uri in unit.published.keys() {
                    self.publish(uri, Vec::new());
                }
            }
        }
        for key in live {
            self.check_unit(&key);
        }
    }

    /// Finds, for each directory of an open `file:` document, the configuration that
    /// calls it as a module; a directory whose unit so changes makes both units stale.
    fn find_calling_roots(&mut self) {
        self.roots_outdated = false;
        let dirs: BTreeSet<PathBuf> = self
            .documents
            .keys()
            .filter_map(|uri| directory_of(uri))
            .collect();
        let mut cache = std::mem::take(&mut self.module_sources);
        let mut sources_of = |dir: &Path| -> Vec<String> {
            cache
                .entry(dir.to_path_buf())
                .or_insert_with(|| {
                    // An unreadable directory calls nothing.
                    let files = self.files_as_edited(dir, &self.overlay_under(dir));
                    callers::module_sources(&files.unwrap_or_default())
                })
                .clone()
        };
        let mut roots = HashMap::new();
        for dir in dirs {
            let top = self
                .workspace_folders
                .iter()
                .filter(|folder| dir.starts_with(folder))
                .max_by_key(|folder| folder.components().count());
            if let Some(root) =
                callers::calling_root(&dir, top.map(PathBuf::as_path), &mut sources_of)
            {
                roots.insert(dir, root);
            }
        }
        self.module_sources = cache;
        let changed: BTreeSet<PathBuf> = roots
            .keys()
            .chain(self.calling_roots.keys())
            .filter(|dir| roots.get(*dir) != self.calling_roots.get(*dir))
            .cloned()
            .collect();
        for dir in changed {
            for map in [&roots, &self.calling_roots] {
                let unit = map.get(&dir).unwrap_or(&dir).clone();
                self.stale.insert(UnitKey::Directory(unit));
            }
        }
        self.calling_roots = roots;
    }

    /// Checks one unit and publishes every file's diagnostics, clearing those of files
    /// that no longer have any.
    pub(crate) fn check_unit(&mut self, key: &UnitKey) {
        let checked = catch_unwind(AssertUnwindSafe(|| self.diagnose(key)));
        let (files, mut by_uri) = match checked {
            Ok(Ok(found)) => found,
            Ok(Err(message)) => {
                self.show_error(&message);
                return;
            }
            Err(_) => {
                self.show_error("internal error in vpce lsp while checking; this is a bug in vpce, please report it with the input");
                return;
            }
        };
        let unit = self.units.remove(key).unwrap_or_default();
        // Every open document of the unit gets a (maybe empty) list, and so does every
        // file that had diagnostics before.
        for uri in self.documents.keys() {
            if self.unit_key(uri) == *key {
                by_uri.entry(uri.clone()).or_default();
            }
        }
        for uri in unit.published.keys() {
            by_uri.entry(uri.clone()).or_default();
        }
        for (uri, found) in &by_uri {
            self.publish(uri, found.clone());
        }
        by_uri.retain(|_, found| !found.is_empty());
        self.units.insert(
            key.clone(),
            UnitState {
                files,
                published: by_uri,
            },
        );
    }

    fn diagnose(&self, key: &UnitKey) -> Result<(Vec<UnitFile>, DiagnosticsByUri), String> {
        let (root, input, outcome) = match key {
            UnitKey::Directory(root) => {
                let overlay = self.overlay_under(root);
                let files = self.files_as_edited(root, &overlay)?;
                let input = Input {
                    files,
                    ..Input::default()
                };
                let disk = self.workspace.loader(root);
                let loader = overlay.loader(&*disk);
                let outcome = vpce_driver::check(&input, &loader).map_err(|e| e.to_string())?;
                (Some(root.as_path()), input, outcome)
            }
            UnitKey::Alone(uri) => {
                let Some(document) = self.documents.get(uri) else {
                    return Ok((Vec::new(), BTreeMap::new()));
                };
                let name = uri.rsplit('/').next().unwrap_or("untitled").to_string();
                let input = Input {
                    files: vec![SourceInput {
                        name,
                        bytes: document.text.as_bytes().to_vec(),
                    }],
                    ..Input::default()
                };
                let outcome =
                    vpce_driver::check(&input, &vpce_model::NoFiles).map_err(|e| e.to_string())?;
                (None, input, outcome)
            }
        };
        let uri_of = |name: &str| -> Option<String> {
            match (key, root) {
                (UnitKey::Alone(uri), _) => Some(uri.clone()),
                (_, Some(root)) => file_uri(&root.join(name)),
                _ => None,
            }
        };
        let by_uri = diagnostics::to_lsp(&outcome, self.encoding, &uri_of);
        let configuration = input.files.iter().map(|file| {
            let text: Arc<str> = String::from_utf8_lossy(&file.bytes).into();
            (file.name.as_str(), text)
        });
        // Module files are named by their path from the root (`modules/net/main.hcl`).
        let modules = outcome
            .sources
            .files()
            .map(|(_, source)| source)
            .filter(|source| {
                source.origin == Origin::Config
                    && source.name.contains('/')
                    && source.name.ends_with(".hcl")
            })
            .map(|source| (source.name.as_str(), Arc::clone(&source.text)));
        let files = configuration
            .chain(modules)
            .filter_map(|(name, text)| {
                let uri = uri_of(name)?;
                let outline = outline::scan(&text);
                Some(UnitFile { uri, text, outline })
            })
            .collect();
        Ok((files, by_uri))
    }

    /// The open documents under `root`, by their path relative to it.
    fn overlay_under(&self, root: &Path) -> Overlay {
        let mut overlay = Overlay::new();
        for (uri, document) in &self.documents {
            let Some(path) = file_path(uri) else { continue };
            if let Ok(relative) = path.strip_prefix(root) {
                if let Some(relative) = relative_name(relative) {
                    overlay.insert(relative, document.text.as_bytes());
                }
            }
        }
        overlay
    }

    /// The configuration files of `dir` with the editor's unsaved text in place.
    fn files_as_edited(&self, dir: &Path, overlay: &Overlay) -> Result<Vec<SourceInput>, String> {
        let mut files = self.workspace.config_files(dir)?;
        overlay.apply(&mut files);
        Ok(files)
    }

    fn publish(&self, uri: &str, diagnostics: Vec<Diagnostic>) {
        let Ok(parsed) = uri.parse::<Uri>() else {
            return;
        };
        let version = self.documents.get(uri).map(|d| d.version);
        self.send(
            Notification::new(
                notification::PublishDiagnostics::METHOD.into(),
                PublishDiagnosticsParams {
                    uri: parsed,
                    diagnostics,
                    version,
                },
            )
            .into(),
        );
    }

    fn show_error(&self, message: &str) {
        self.send(
            Notification::new(
                notification::ShowMessage::METHOD.into(),
                lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::ERROR,
                    message: format!("vpce: {message}"),
                },
            )
            .into(),
        );
    }

    /// The text of a document: the editor's when open, else the unit's last check's.
    pub(crate) fn text_of(&self, uri: &str) -> Option<Arc<str>> {
        if let Some(document) = self.documents.get(uri) {
            return Some(document.text.as_str().into());
        }
        self.units
            .get(&self.unit_key(uri))?
            .files
            .iter()
            .find(|f| f.uri == uri)
            .map(|f| Arc::clone(&f.text))
    }

    /// The other configuration files of a document's directory (a module's, for a
    /// module's document), as its unit's last check read them.
    pub(crate) fn siblings(&self, uri: &str) -> impl Iterator<Item = &UnitFile> {
        let dir = directory_part(uri).to_string();
        let uri = uri.to_string();
        self.units
            .get(&self.unit_key(&uri))
            .into_iter()
            .flat_map(|unit| unit.files.iter())
            .filter(move |f| f.uri != uri && directory_part(&f.uri) == dir)
    }

    pub(crate) fn published(&self, uri: &str) -> &[Diagnostic] {
        self.units
            .get(&self.unit_key(uri))
            .and_then(|unit| unit.published.get(uri))
            .map_or(&[], Vec::as_slice)
    }

    /// The unit a document is checked in: the configuration that calls its directory as
    /// a module, else its directory (as `vpce check DIR`), else the document alone.
    pub(crate) fn unit_key(&self, uri: &str) -> UnitKey {
        match file_path(uri).as_deref().and_then(Path::parent) {
            Some(dir) => UnitKey::Directory(
                self.calling_roots
                    .get(dir)
                    .map_or_else(|| dir.to_path_buf(), Clone::clone),
            ),
            None => UnitKey::Alone(uri.to_string()),
        }
    }
}

/// A URI up to its last `/`: documents with the same one are in the same directory.
fn directory_part(uri: &str) -> &str {
    uri.rsplit_once('/').map_or(uri, |(dir, _)| dir)
}

/// The directory of a `file:` document, which the `source` of its `module` blocks is
/// relative to.
pub(crate) fn directory_of(uri: &str) -> Option<PathBuf> {
    Some(file_path(uri)?.parent()?.to_path_buf())
}

/// Applies one change: a range replaced, or (without a range) the whole text.
fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        Some(range) => {
            let index = LineIndex::new(text, encoding);
            let start = index.offset(range.start);
            let end = index.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

/// The path of a `file:` URI.
pub(crate) fn file_path(uri: &str) -> Option<PathBuf> {
    let url = url::Url::parse(uri).ok()?;
    (url.scheme() == "file")
        .then(|| url.to_file_path().ok())
        .flatten()
}

pub(crate) fn file_uri(path: &Path) -> Option<String> {
    url::Url::from_file_path(path).ok().map(String::from)
}

/// `modules/net/main.hcl` for a path relative to the unit's directory (UTF-8 only, as
/// vpce's own file names).
pub(crate) fn relative_name(relative: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// A position in a document, with what the features need around it.
pub(crate) struct Cursor {
    pub uri: String,
    pub text: Arc<str>,
    pub offset: usize,
    pub outline: Body,
}

impl Cursor {
    pub fn index(&self, encoding: Encoding) -> LineIndex<'_> {
        LineIndex::new(&self.text, encoding)
    }

    /// The blocks around the cursor, outermost first.
    pub fn block_path(&self) -> Vec<&outline::Block> {
        outline::enclosing(&self.outline, self.offset)
    }

    /// The attributes of the innermost block around the cursor (the top level's outside
    /// any block).
    pub fn attributes_here(&self) -> &[outline::Attribute] {
        self.block_path()
            .last()
            .map_or(&self.outline.attributes, |b| &b.body.attributes)
    }

    /// The attribute of the innermost block that `matches`, with the kinds of the
    /// blocks around it.
    pub fn attribute_here(
        &self,
        matches: impl Fn(&outline::Attribute) -> bool,
    ) -> Option<(Vec<&str>, &outline::Attribute)> {
        let attribute = self.attributes_here().iter().find(|a| matches(a))?;
        let kinds = self
            .block_path()
            .iter()
            .map(|b| b.kind.text.as_str())
            .collect();
        Some((kinds, attribute))
    }
}

impl Server<'_> {
    pub(crate) fn cursor(&self, uri: &Uri, position: lsp_types::Position) -> Option<Cursor> {
        let uri = uri.as_str().to_string();
        let text = self.text_of(&uri)?;
        let offset = LineIndex::new(&text, self.encoding).offset(position);
        let outline = outline::scan(&text);
        Some(Cursor {
            uri,
            text,
            offset,
            outline,
        })
    }
}
