//! A client session against the server on an in-memory connection: the JSON-RPC
//! messages an editor sends, and what comes back.

use std::{thread::JoinHandle, time::Duration};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use vpce_lsp::MemoryWorkspace;

const MAIN: &str = r#"region = "eu-west-1"

vpc "main" {
  cidr = "10.0.0.0/16"
}

subnet "app_a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.0.0/23"
}
"#;

/// The second file of the directory: its subnet overlaps `app_a` (V203).
const NETWORK: &str = r#"# V203 is reported here
subnet "app_b" {
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.1.0/24"
}
"#;

const ENDPOINTS: &str = r#"endpoint "s3" {
  type    = "interface"
  service = "s3"
  vpc     = vpc.main
  subnets = [subnet.app_a]
}
"#;

struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: Vec<Notification>,
}

impl Client {
    fn start(workspace: MemoryWorkspace, capabilities: Value) -> Client {
        Client::start_in(workspace, capabilities, Value::Null)
    }

    /// Starts a session whose workspace folder is `root_uri` (`null`: none).
    fn start_in(workspace: MemoryWorkspace, capabilities: Value, root_uri: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || vpce_lsp::run(&server_side, &workspace));
        let mut client = Client {
            connection: client_side,
            server: Some(server),
            next_id: 0,
            pending: Vec::new(),
        };
        let initialized = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": capabilities}),
        );
        assert!(
            initialized["capabilities"]["hoverProvider"] == json!(true),
            "{initialized}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&self, message: Message) {
        self.connection
            .sender
            .send(message)
            .expect("the server is running");
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers")
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    fn request_response(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Request::new(id.clone(), method.into(), params).into());
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => return response,
                Message::Notification(note) => self.pending.push(note),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_response(method, params);
        response
            .response_result
            .unwrap_or_else(|e| panic!("{method}: {e:?}"))
    }

    /// The next diagnostics published for `uri` (others stay pending).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for = |note: &Notification| {
            note.method == "textDocument/publishDiagnostics" && note.params["uri"] == uri
        };
        loop {
            if let Some(at) = self.pending.iter().position(is_for) {
                let note = self.pending.remove(at);
                return note.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            match self.receive() {
                Message::Notification(note) => self.pending.push(note),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "hcl", "version": 1, "text": text}}),
        );
    }

    /// Replaces the whole text of an open document (unsaved).
    fn replace_text(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn close(&self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    fn at(&mut self, method: &str, uri: &str, text: &str, needle: &str, into: usize) -> Value {
        let offset = text.find(needle).unwrap_or_else(|| panic!("{needle}")) + into;
        let line = text[..offset].matches('\n').count();
        let character = text[..offset]
            .rsplit('\n')
            .next()
            .unwrap()
            .encode_utf16()
            .count();
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        assert_eq!(server.join().expect("the server did not panic"), Ok(()));
    }
}

fn workspace() -> MemoryWorkspace {
    MemoryWorkspace::new()
        .with_file("/cfg/main.hcl", MAIN)
        .with_file("/cfg/network.hcl", NETWORK)
}

const NETWORK_URI: &str = "file:///cfg/network.hcl";
const MAIN_URI: &str = "file:///cfg/main.hcl";

#[test]
fn an_error_is_published_at_its_range_with_its_rule() {
    let mut client = Client::start(workspace(), json!({}));
    client.open(NETWORK_URI, NETWORK);
    let found = client.diagnostics(NETWORK_URI);
    let overlap = found
        .iter()
        .find(|d| d["code"] == "V203")
        .unwrap_or_else(|| panic!("{found:#?}"));
    // `"10.0.1.0/24"` on line 5 (0-based 4), from the quote at character 9.
    assert_eq!(
        overlap["range"],
        json!({"start": {"line": 4, "character": 9}, "end": {"line": 4, "character": 22}})
    );
    assert_eq!(overlap["severity"], 1);
    assert_eq!(overlap["source"], "vpce");
    assert!(overlap["message"]
        .as_str()
        .unwrap()
        .contains("overlaps subnet `app_a`"));
    assert!(overlap["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("docs/rules/V203-subnet-overlap.md"));
    // The other subnet is in the other file of the directory.
    let related = &overlap["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], MAIN_URI);
    assert_eq!(related["location"]["range"]["start"]["line"], 9);

    // Hovering the diagnostic's range explains its rule.
    let hover = client.at("textDocument/hover", NETWORK_URI, NETWORK, "10.0.1.0/24", 3);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("# V203: subnet-overlap"), "{text}");

    // Fixing it clears the file's diagnostics.
    let fixed = NETWORK.replace("10.0.1.0/24", "10.0.2.0/24");
    client.replace_text(NETWORK_URI, 2, &fixed);
    assert_eq!(client.diagnostics(NETWORK_URI), Vec::<Value>::new());

    client.shutdown();
}

#[test]
fn an_incremental_edit_moves_an_error_between_files() {
    let mut client = Client::start(workspace(), json!({}));
    client.open(MAIN_URI, MAIN);
    assert!(client.diagnostics(MAIN_URI).is_empty());
    // The overlap is reported in the other file of the directory, open or not.
    let saved = client.diagnostics(NETWORK_URI);
    assert!(saved.iter().any(|d| d["code"] == "V203"), "{saved:#?}");
    // `cidr = "10.0.0.0/23"` of app_a becomes `10.1.0.0/23`: outside the VPC (V202) in
    // main.hcl, and no longer overlapping app_b, whose file's diagnostics are cleared.
    let line = MAIN
        .lines()
        .position(|l| l.contains("10.0.0.0/23"))
        .unwrap();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": MAIN_URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": line, "character": 13}, "end": {"line": line, "character": 14}}, "text": "1"}
        ]}),
    );
    let found = client.diagnostics(MAIN_URI);
    assert!(found.iter().any(|d| d["code"] == "V202"), "{found:#?}");
    assert_eq!(client.diagnostics(NETWORK_URI), Vec::<Value>::new());

    // Closing the directory's last open document clears what it reported.
    client.close(MAIN_URI);
    assert_eq!(client.diagnostics(MAIN_URI), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn hover_explains_rules_attributes_and_services() {
    let mut client = Client::start(workspace(), json!({}));
    client.open(NETWORK_URI, NETWORK);
    let rule = client.at("textDocument/hover", NETWORK_URI, NETWORK, "V203", 1);
    let text = rule["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("# V203: subnet-overlap"), "{text}");
    assert!(text.contains("## What it does"), "{text}");
    assert!(!text.contains("## Failing example"), "{text}");

    let attribute = client.at("textDocument/hover", NETWORK_URI, NETWORK, "az ", 1);
    let text = attribute["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**`az`**: `subnet` attribute"), "{text}");
    assert!(text.contains("Availability Zone **ID**"), "{text}");

    let endpoints = "file:///cfg/endpoints.hcl";
    client.open(endpoints, ENDPOINTS);
    let service = client.at("textDocument/hover", endpoints, ENDPOINTS, "= \"s3\"", 4);
    let text = service["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**`s3`**: AWS service (interface and gateway endpoints)"),
        "{text}"
    );

    // Nothing to say about a brace.
    let nothing = client.at("textDocument/hover", NETWORK_URI, NETWORK, "{", 0);
    assert_eq!(nothing, Value::Null);
    client.shutdown();
}

#[test]
fn definitions_of_references_across_the_directory() {
    let mut client = Client::start(workspace(), json!({}));
    let uri = "file:///cfg/endpoints.hcl";
    client.open(uri, ENDPOINTS);
    client.diagnostics(uri);
    let vpc = client.at("textDocument/definition", uri, ENDPOINTS, "vpc.main", 5);
    assert_eq!(vpc["uri"], MAIN_URI);
    // `"main"` of `vpc "main"`, line 3 (0-based 2), the label without its quotes.
    assert_eq!(
        vpc["range"],
        json!({"start": {"line": 2, "character": 5}, "end": {"line": 2, "character": 9}})
    );
    let subnet = client.at("textDocument/definition", uri, ENDPOINTS, "subnet.app_a", 9);
    assert_eq!(subnet["uri"], MAIN_URI);
    assert_eq!(subnet["range"]["start"]["line"], 6);
    // Nothing is defined by a keyword.
    let nothing = client.at("textDocument/definition", uri, ENDPOINTS, "type", 1);
    assert_eq!(nothing, Value::Null);
    client.shutdown();
}

#[test]
fn definitions_of_variables_locals_and_modules() {
    let main = r#"region = "eu-west-1"
variable "cidr" {
  default = "10.0.0.0/16"
}
locals {
  az = "euw1-az1"
}
module "net" {
  source = "./modules/net"
  cidr   = var.cidr
}
subnet "a" {
  vpc  = module.net.vpc
  az   = local.az
  cidr = cidrsubnet(var.cidr, 8, 1)
}
"#;
    let module = "variable \"cidr\" {}\nvpc \"main\" {\n  cidr = var.cidr\n}\noutput \"vpc\" {\n  value = vpc.main\n}\n";
    let workspace = MemoryWorkspace::new()
        .with_file("/cfg/main.hcl", main)
        .with_file("/cfg/modules/net/main.hcl", module);
    let mut client = Client::start(workspace, json!({}));
    client.open(MAIN_URI, main);
    let local = client.at("textDocument/definition", MAIN_URI, main, "local.az", 7);
    assert_eq!(local["range"]["start"], json!({"line": 5, "character": 2}));
    let variable = client.at("textDocument/definition", MAIN_URI, main, "var.cidr,", 5);
    assert_eq!(
        variable["range"]["start"],
        json!({"line": 1, "character": 10})
    );
    let output = client.at(
        "textDocument/definition",
        MAIN_URI,
        main,
        "module.net.vpc",
        12,
    );
    assert_eq!(output["uri"], "file:///cfg/modules/net/main.hcl");
    assert_eq!(output["range"]["start"], json!({"line": 4, "character": 8}));
    let source = client.at("textDocument/definition", MAIN_URI, main, "./modules", 3);
    assert_eq!(source["uri"], "file:///cfg/modules/net/main.hcl");
    client.shutdown();
}

fn labels(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .unwrap_or_else(|| panic!("{completion}"))
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_of_attributes_values_services_and_references() {
    let mut client = Client::start(workspace(), json!({}));
    let text = "endpoint \"new\" {\n  type = \"interface\"\n  vpc  = vpc.main\n  pri\n  service = \"ecr.\"\n  subnets = [\n}\n";
    let uri = "file:///cfg/endpoints.hcl";
    client.open(uri, text);
    client.diagnostics(uri);

    let attributes = labels(&client.at("textDocument/completion", uri, text, "pri\n", 3));
    assert!(
        attributes.contains(&"private_dns".to_string()),
        "{attributes:?}"
    );
    assert!(
        attributes.contains(&"security_groups".to_string()),
        "{attributes:?}"
    );
    // Already set: not offered again.
    assert!(
        !attributes.contains(&"subnets".to_string()),
        "{attributes:?}"
    );
    assert!(!attributes.contains(&"type".to_string()), "{attributes:?}");
    assert!(!attributes.contains(&"vpc".to_string()), "{attributes:?}");

    let services = labels(&client.at("textDocument/completion", uri, text, "ecr.\"", 4));
    assert!(services.contains(&"ecr.api".to_string()), "{services:?}");
    assert!(services.contains(&"ecr.dkr".to_string()), "{services:?}");

    let types = labels(&client.at("textDocument/completion", uri, text, "interface\"", 0));
    assert_eq!(types, ["gateway", "interface", "gateway_load_balancer"]);

    let subnets = labels(&client.at("textDocument/completion", uri, text, "subnets = [", 11));
    assert_eq!(subnets, ["subnet.app_a", "subnet.app_b"]);

    let top = labels(&client.at("textDocument/completion", uri, text, "}\n", 2));
    assert!(top.contains(&"endpoint_service".to_string()), "{top:?}");
    client.shutdown();
}

#[test]
fn service_completion_follows_the_vpc_region() {
    let mut client = Client::start(MemoryWorkspace::new(), json!({}));
    // A service the catalogue has in some regions only.
    let (service, missing_in) = vpce_data::services()
        .iter()
        .find_map(|s| {
            let region = vpce_data::regions()
                .iter()
                .find(|r| !s.available_in(&r.code))?;
            Some((s.name.clone(), region.code.clone()))
        })
        .expect("a regional service");
    let text = format!("region = \"{missing_in}\"\nvpc \"v\" {{\n  cidr = \"10.0.0.0/16\"\n}}\nendpoint \"e\" {{\n  vpc     = vpc.v\n  service = \"\"\n}}\n");
    let uri = "untitled:Untitled-1";
    client.open(uri, &text);
    let offered = labels(&client.at("textDocument/completion", uri, &text, "= \"\"", 3));
    assert!(
        !offered.contains(&service),
        "{service} is not in {missing_in}: {offered:?}"
    );
    assert!(offered.contains(&"s3".to_string()), "{offered:?}");
    client.shutdown();
}

#[test]
fn document_symbols_are_nested_blocks() {
    let mut client = Client::start(MemoryWorkspace::new(), json!({}));
    let text = "locals {\n  env = \"prod\"\n}\nsecurity_group \"sg\" {\n  vpc = vpc.main\n  ingress {\n    protocol = \"tcp\"\n  }\n}\n";
    let uri = "untitled:symbols";
    client.open(uri, text);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["locals", "security_group.sg"]);
    assert_eq!(symbols[0]["children"][0]["name"], "local.env");
    assert_eq!(symbols[1]["children"][0]["name"], "ingress");
    assert_eq!(
        symbols[1]["range"]["end"],
        json!({"line": 8, "character": 1})
    );
    client.shutdown();
}

#[test]
fn formatting_is_vpce_fmt_as_one_edit() {
    let mut client = Client::start(MemoryWorkspace::new(), json!({}));
    let untidy = "vpc \"main\" {\ncidr = \"10.0.0.0/16\" # the block\n    dns_hostnames=true\n}\n";
    let uri = "untitled:untidy";
    client.open(uri, untidy);
    let options = json!({"tabSize": 2, "insertSpaces": true});
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": options}),
    );
    let tidy = vpce_fmt::format_source(untidy).unwrap();
    assert_eq!(
        edits,
        json!([{
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 4, "character": 0}},
            "newText": tidy,
        }])
    );
    assert!(
        tidy.contains("  cidr          = \"10.0.0.0/16\" # the block\n"),
        "{tidy}"
    );
    // Already tidy, or not parsing: nothing to do.
    client.open("untitled:tidy", &tidy);
    let none = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": "untitled:tidy"}, "options": options}),
    );
    assert_eq!(none, Value::Null);
    client.open("untitled:broken", "vpc \"main\" {\n");
    let none = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": "untitled:broken"}, "options": options}),
    );
    assert_eq!(none, Value::Null);
    client.shutdown();
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let capabilities = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let mut client = Client::start(MemoryWorkspace::new(), capabilities);
    // `é` is two bytes: in UTF-8 the error after it starts two characters later than in
    // UTF-16's one.
    let text = "region = \"eu-west-1\"\nvpc \"main\" {\n  tags = { note = \"é\" }\n  cidr = \"10.0.0.0/33\"\n}\n";
    let uri = "untitled:utf8";
    client.open(uri, text);
    let found = client.diagnostics(uri);
    let cidr = found
        .iter()
        .find(|d| d["range"]["start"]["line"] == 3)
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(cidr["range"]["start"]["character"], 9);
    client.shutdown();
}

#[test]
fn bad_input_gets_errors_never_a_crash() {
    let mut client = Client::start(MemoryWorkspace::new(), json!({}));
    let unknown = client.request_response("vpce/nonsense", json!({}));
    assert_eq!(
        unknown.response_result.unwrap_err().code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );
    let bad_params = client.request_response("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(
        bad_params.response_result.unwrap_err().code,
        lsp_server::ErrorCode::InvalidParams as i32
    );
    // A document nobody opened, positions past the end, a document outside any
    // directory, text that is nothing like HCL, and a notification nobody knows.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere/x.hcl"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover, Value::Null);
    let uri = "untitled:junk";
    let junk = "vpc \"x\" {{{ \"\\\u{0}é🦀 ${ <<EOF\n]]] = = =\n";
    client.open(uri, junk);
    let found = client.diagnostics(uri);
    assert!(found.iter().any(|d| d["code"] == "V100"), "{found:#?}");
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
    ] {
        for (line, character) in [(0, 0), (0, 5), (0, 13), (1, 2), (1, 99), (99, 99)] {
            let response = client.request_response(
                method,
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
            );
            assert!(
                response.response_result.is_ok(),
                "{method} {line}:{character}: {response:?}"
            );
        }
    }
    client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    client.notify("vpce/unknown", json!(null));
    client.notify("textDocument/didChange", json!("not params"));
    // Closing an untitled document clears its diagnostics.
    client.close(uri);
    assert!(client.diagnostics(uri).is_empty());
    client.shutdown();
}

#[test]
fn a_file_of_the_directory_that_is_not_utf8_gets_its_diagnostic() {
    let workspace = MemoryWorkspace::new()
        .with_file("/cfg/main.hcl", MAIN)
        .with_file("/cfg/latin1.hcl", b"# caf\xe9\n".to_vec());
    let mut client = Client::start(workspace, json!({}));
    client.open(MAIN_URI, MAIN);
    let found = client.diagnostics("file:///cfg/latin1.hcl");
    assert_eq!(found[0]["code"], "V100", "{found:#?}");
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 0, "character": 5})
    );
    client.shutdown();
}

/// A configuration that calls `./modules/net`, whose variable has no default of its own.
const CALLER: &str = r#"region = "eu-west-1"

variable "cidr" {
  default = "10.0.0.0/16"
}

module "net" {
  source = "./modules/net"
  cidr   = var.cidr
}
"#;

/// The module's main file: `colour` is no attribute of a VPC (V102).
const MODULE_MAIN: &str = r#"vpc "main" {
  cidr   = var.cidr
  colour = "blue"
}
"#;

const MODULE_VARIABLES: &str = "variable \"cidr\" {}\n";

const MODULE_URI: &str = "file:///cfg/modules/net/main.hcl";

fn calling_workspace() -> MemoryWorkspace {
    MemoryWorkspace::new()
        .with_file("/cfg/main.hcl", CALLER)
        .with_file("/cfg/modules/net/main.hcl", MODULE_MAIN)
        .with_file("/cfg/modules/net/variables.hcl", MODULE_VARIABLES)
}

fn codes(found: &[Value]) -> Vec<&str> {
    found.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn a_module_file_is_checked_in_the_configuration_that_calls_it() {
    let mut client = Client::start(calling_workspace(), json!({}));
    client.open(MODULE_URI, MODULE_MAIN);
    // The call gives `cidr` a value: no V109, and the module's own error is there.
    let found = client.diagnostics(MODULE_URI);
    assert_eq!(codes(&found), ["V102"], "{found:#?}");
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 2, "character": 2})
    );

    // The features read the module's directory: `var.cidr` is in its other file (not
    // the caller's variable of that name), and hovering the error explains its rule.
    let variable = client.at(
        "textDocument/definition",
        MODULE_URI,
        MODULE_MAIN,
        "var.cidr",
        5,
    );
    assert_eq!(variable["uri"], "file:///cfg/modules/net/variables.hcl");
    let hover = client.at("textDocument/hover", MODULE_URI, MODULE_MAIN, "colour", 1);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("# V102: unknown-attribute"), "{text}");

    // An unsaved edit of the module is what the caller's check reads: the error is
    // fixed, and a new variable the call does not give is reported at the call.
    let edited = MODULE_MAIN.replace("  colour = \"blue\"\n", "") + "variable \"size\" {}\n";
    client.replace_text(MODULE_URI, 2, &edited);
    assert_eq!(client.diagnostics(MODULE_URI), Vec::<Value>::new());
    let at_call = client.diagnostics(MAIN_URI);
    assert_eq!(codes(&at_call), ["V117"], "{at_call:#?}");
    assert!(
        at_call[0]["message"].as_str().unwrap().contains("size"),
        "{at_call:#?}"
    );

    // Closing the module clears what its caller's check reported.
    client.close(MODULE_URI);
    assert_eq!(client.diagnostics(MAIN_URI), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn a_module_and_its_caller_open_together_are_one_unit() {
    let mut client = Client::start(calling_workspace(), json!({}));
    client.open(MAIN_URI, CALLER);
    let found = client.diagnostics(MODULE_URI);
    assert_eq!(codes(&found), ["V102"], "{found:#?}");
    client.open(MODULE_URI, MODULE_MAIN);
    let found = client.diagnostics(MODULE_URI);
    assert_eq!(codes(&found), ["V102"], "{found:#?}");
    // Removing the call makes the module a directory of its own again, checked alone.
    let without_call = CALLER.replace("./modules/net", "./modules/other");
    client.replace_text(MAIN_URI, 2, &without_call);
    let mut alone = Vec::new();
    // The caller's check clears the module's diagnostics, then its own check reports.
    for _ in 0..2 {
        alone = client.diagnostics(MODULE_URI);
    }
    assert_eq!(codes(&alone), ["V103", "V102"], "{alone:#?}");
    let variables = client.diagnostics("file:///cfg/modules/net/variables.hcl");
    assert_eq!(codes(&variables), ["V109"], "{variables:#?}");
    client.shutdown();
}

#[test]
fn a_directory_nobody_calls_is_checked_alone() {
    let workspace = calling_workspace().with_file("/cfg/modules/loose/main.hcl", MODULE_VARIABLES);
    let uri = "file:///cfg/modules/loose/main.hcl";
    let mut client = Client::start(workspace, json!({}));
    client.open(uri, MODULE_VARIABLES);
    // Checked as its own configuration: no region, and no value for its variable.
    let found = client.diagnostics(uri);
    assert_eq!(codes(&found), ["V103", "V109"], "{found:#?}");
    client.shutdown();
}

#[test]
fn callers_are_not_looked_for_above_the_workspace_folder() {
    let mut client = Client::start_in(calling_workspace(), json!({}), json!("file:///cfg/modules"));
    client.open(MODULE_URI, MODULE_MAIN);
    // `/cfg` calls the module but is outside the folder: the module is checked alone.
    assert_eq!(codes(&client.diagnostics(MODULE_URI)), ["V103", "V102"]);
    let variables = client.diagnostics("file:///cfg/modules/net/variables.hcl");
    assert_eq!(codes(&variables), ["V109"], "{variables:#?}");
    client.shutdown();
}

#[test]
fn a_module_source_leading_out_of_the_module_goes_to_its_sibling() {
    // `modules/net` calls `../tags`: a directory of the configuration, not of `net`.
    let module_main = format!("{MODULE_MAIN}module \"tags\" {{\n  source = \"../tags\"\n}}\n");
    let workspace = calling_workspace()
        .with_file("/cfg/modules/net/main.hcl", module_main.as_str())
        .with_file(
            "/cfg/modules/tags/main.hcl",
            "output \"team\" {\n  value = \"net\"\n}\n",
        );
    let mut client = Client::start(workspace, json!({}));
    client.open(MODULE_URI, &module_main);
    // Asked before the module's first check: its unit is its caller's already.
    let source = client.at(
        "textDocument/definition",
        MODULE_URI,
        &module_main,
        "../tags",
        3,
    );
    assert_eq!(
        source["uri"], "file:///cfg/modules/tags/main.hcl",
        "{source:#?}"
    );
    client.shutdown();
}
