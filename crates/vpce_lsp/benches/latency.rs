//! `cargo bench -p vpce_lsp`: what an editor waits for in a 1k-endpoint file (one
//! directory, one file of 11.7k lines): after a one-line edit, the diagnostics of the
//! whole directory (target 50 ms); a completion (target 20 ms) of a service name and of
//! an attribute. The server runs on an in-memory connection, as in the tests.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use vpce_lsp::MemoryWorkspace;

/// The allocator the `vpce` binary uses, so the figures match the shipped program.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const URI: &str = "file:///bench/main.hcl";

struct Editor {
    connection: Connection,
    version: i32,
    next_id: i32,
}

impl Editor {
    fn send(&self, message: Message) {
        self.connection.sender.send(message).unwrap();
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Request::new(id.clone(), method.into(), params).into());
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .unwrap()
            {
                Message::Response(response) if response.id == id => {
                    return response.response_result.unwrap();
                }
                _ => {}
            }
        }
    }

    /// Waits for the diagnostics of the current version.
    fn diagnostics(&self) -> usize {
        loop {
            if let Message::Notification(note) = self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .unwrap()
            {
                if note.method == "textDocument/publishDiagnostics"
                    && note.params["version"] == self.version
                {
                    return note.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
    }
}

fn position(text: &str, needle: &str, into: usize) -> Value {
    let offset = text.rfind(needle).unwrap() + into;
    let line = text[..offset].matches('\n').count();
    let character = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": character})
}

fn bench(c: &mut Criterion) {
    let text = vpce_driver::generate::configuration(1_000);
    let (server, client) = Connection::memory();
    let workspace = MemoryWorkspace::new().with_file("/bench/main.hcl", text.as_str());
    let thread = std::thread::spawn(move || vpce_lsp::run(&server, &workspace));
    let mut editor = Editor {
        connection: client,
        version: 1,
        next_id: 0,
    };
    editor.request("initialize", json!({"capabilities": {}}));
    editor.notify("initialized", json!({}));
    editor.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "hcl", "version": 1, "text": text}}),
    );
    editor.diagnostics();

    // The last endpoint's service, alternately misspelt and right: a one-line edit
    // that changes the diagnostics each time.
    let service = position(&text, "service         = \"", 19);
    let mut group = c.benchmark_group("lsp-1k-endpoints");
    group.sample_size(30);
    group.bench_function("edit-to-diagnostics", |b| {
        b.iter(|| {
            editor.version += 1;
            let name = if editor.version % 2 == 0 { "ssn" } else { "ssm" };
            let line = service["line"].as_u64().unwrap();
            editor.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": editor.version}, "contentChanges": [{
                    "range": {"start": {"line": line, "character": 19}, "end": {"line": line, "character": 22}},
                    "text": name,
                }]}),
            );
            editor.diagnostics()
        })
    });
    group.bench_function("complete-service", |b| {
        b.iter(|| {
            editor.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": URI}, "position": service}),
            )
        })
    });
    let attribute = position(&text, "  security_groups = [security_group", 2);
    group.bench_function("complete-attribute", |b| {
        b.iter(|| {
            editor.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": URI}, "position": attribute}),
            )
        })
    });
    group.finish();
    editor.request("shutdown", Value::Null);
    editor.notify("exit", Value::Null);
    thread.join().unwrap().unwrap();
}

criterion_group!(benches, bench);
criterion_main!(benches);
