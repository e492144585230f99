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
use vpce_driver::{overlay::Overlay, Input, SourceInput};

use crate::{
    diagnostics,
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
    }
    .serve()
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
    /// The unit's configuration files (not modules) at the last check.
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
                self.stale.insert(unit_key(&uri));
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
                self.stale.insert(unit_key(&uri));
            }
            notification::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(note) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                self.documents.remove(&uri);
                // A directory with documents still open is checked again, the closed one
                // from disk; a unit with none left is no longer watched, and its
                // diagnostics go.
                let key = unit_key(&uri);
                if self.documents.keys().any(|open| unit_key(open) == key) {
                    self.stale.insert(key);
                } else {
                    self.stale.remove(&key);
                    if let Some(unit) = self.units.remove(&key) {
                        for uri in unit.published.keys() {
                            self.publish(uri, Vec::new());
                        }
                    }
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidSaveTextDocumentParams>(note) {
                    self.stale.insert(unit_key(p.text_document.uri.as_str()));
                }
            }
            // Files changed on disk (another tool, a `git checkout`): every directory
            // with open documents is checked again.
            notification::DidChangeWatchedFiles::METHOD => {
                let keys: Vec<UnitKey> = self.units.keys().cloned().collect();
                self.stale.extend(keys);
            }
            _ => {}
        }
    }

    fn check_stale(&mut self) {
        for key in std::mem::take(&mut self.stale) {
            self.check_unit(&key);
        }
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
            if unit_key(uri) == *key {
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
                let mut overlay = Overlay::new();
                for (uri, document) in &self.documents {
                    let Some(path) = file_path(uri) else { continue };
                    if let Ok(relative) = path.strip_prefix(root) {
                        if let Some(relative) = relative_name(relative) {
                            overlay.insert(relative, document.text.as_bytes());
                        }
                    }
                }
                let mut files = self.workspace.config_files(root)?;
                overlay.apply(&mut files);
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
        let files = input
            .files
            .iter()
            .filter_map(|file| {
                let uri = uri_of(&file.name)?;
                let text: Arc<str> = String::from_utf8_lossy(&file.bytes).into();
                let outline = outline::scan(&text);
                Some(UnitFile { uri, text, outline })
            })
            .collect();
        Ok((files, by_uri))
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
            .get(&unit_key(uri))?
            .files
            .iter()
            .find(|f| f.uri == uri)
            .map(|f| Arc::clone(&f.text))
    }

    /// The other configuration files of a document's unit, as last checked.
    pub(crate) fn siblings(&self, uri: &str) -> impl Iterator<Item = &UnitFile> {
        let uri = uri.to_string();
        self.units
            .get(&unit_key(&uri))
            .into_iter()
            .flat_map(|unit| unit.files.iter())
            .filter(move |f| f.uri != uri)
    }

    pub(crate) fn published(&self, uri: &str) -> &[Diagnostic] {
        self.units
            .get(&unit_key(uri))
            .and_then(|unit| unit.published.get(uri))
            .map_or(&[], Vec::as_slice)
    }

    /// The directory a document's unit is, for a `file:` document.
    pub(crate) fn root_of(&self, uri: &str) -> Option<PathBuf> {
        match unit_key(uri) {
            UnitKey::Directory(root) => Some(root),
            UnitKey::Alone(_) => None,
        }
    }
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

pub(crate) fn unit_key(uri: &str) -> UnitKey {
    match file_path(uri).as_deref().and_then(Path::parent) {
        Some(dir) => UnitKey::Directory(dir.to_path_buf()),
        None => UnitKey::Alone(uri.to_string()),
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
fn relative_name(relative: &Path) -> Option<String> {
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
