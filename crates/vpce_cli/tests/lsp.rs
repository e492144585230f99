//! `vpce lsp` as an editor runs it: the binary, JSON-RPC with `Content-Length` framing
//! over its standard input and output, a configuration directory on disk.

use std::{
    io::{BufRead, BufReader, Read, Write},
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
};

use serde_json::{json, Value};

struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// Notifications read while waiting for a response.
    notifications: Vec<Value>,
}

impl Session {
    fn start() -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vpce"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("vpce starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Session {
            child,
            stdin,
            stdout,
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn read(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "vpce lsp closed its output"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = Some(value.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.read();
            if message["id"] == id {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            if let Some(at) = self.notifications.iter().position(|n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
            }) {
                return self.notifications.remove(at)["params"]["diagnostics"].clone();
            }
            let message = self.read();
            self.notifications.push(message);
        }
    }
}

#[test]
fn an_editor_session_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("main.hcl"),
        "region = \"eu-west-1\"\n\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n}\n",
    )
    .unwrap();
    // Unsaved: the subnet is outside the VPC (V202) only in the editor.
    let text =
        "subnet \"a\" {\n  vpc  = vpc.main\n  az   = \"euw1-az1\"\n  cidr = \"10.9.0.0/24\"\n}\n";
    let uri = url::Url::from_file_path(root.join("subnets.hcl"))
        .unwrap()
        .to_string();
    let main_uri = url::Url::from_file_path(root.join("main.hcl"))
        .unwrap()
        .to_string();

    let mut session = Session::start();
    let initialized = session.request(
        1,
        "initialize",
        json!({"processId": null, "capabilities": {}}),
    );
    assert_eq!(
        initialized["result"]["capabilities"]["positionEncoding"],
        "utf-16"
    );
    assert_eq!(initialized["result"]["serverInfo"]["name"], "vpce");
    session.notify("initialized", json!({}));
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "hcl", "version": 1, "text": text}}),
    );
    let found = session.diagnostics(&uri);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found:#}");
    assert_eq!(found[0]["code"], "V202");
    assert_eq!(
        found[0]["range"],
        json!({"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 22}})
    );

    let hover = session.request(
        2,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 3}}),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**`cidr`**"),
        "{hover:#}"
    );
    let definition = session.request(
        3,
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 13}}),
    );
    assert_eq!(definition["result"]["uri"], main_uri.as_str());

    let shutdown = session.request(4, "shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    session.notify("exit", Value::Null);
    let status = session.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn a_malformed_message_ends_the_server_with_an_error_not_a_panic() {
    let mut session = Session::start();
    // Five bytes that are not JSON.
    write!(session.stdin, "Content-Length: 5\r\n\r\n{{{{{{{{{{").unwrap();
    drop(session.stdin);
    let output = session.child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
