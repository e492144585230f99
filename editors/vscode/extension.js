// Starts `vpce lsp` for `.hcl` files. The server does the work: diagnostics of the
// file's whole directory as you type, hover, go to definition, completion, outline.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("vpce").get("path", "vpce");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "vpce",
    "vpce",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "vpce-hcl" },
        { scheme: "untitled", language: "vpce-hcl" },
      ],
      synchronize: {
        // Files changed outside the editor (a checkout, a `file()` policy) are checked again.
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{hcl,json}"),
      },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
