use vpce_diagnostics::{did_you_mean, Code};

use crate::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule code (`V203`) or name (`subnet-overlap`); omit it to list every rule
    pub rule: Option<String>,
}

pub fn run(args: Args) -> ExitStatus {
    let Some(query) = args.rule else {
        print!("{}", rule_list());
        return ExitStatus::Success;
    };
    let Some(code) = Code::lookup(&query) else {
        let names = Code::ALL.iter().flat_map(|c| [c.as_str(), c.name()]);
        let hint = did_you_mean(&query, names)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        eprintln!("vpce: error: no rule `{query}`{hint}\nRun `vpce explain` to list every rule.");
        return ExitStatus::Error;
    };
    match code.doc_page() {
        Some(page) => print!("{page}"),
        None => println!(
            "# {}: {}\n\nSeverity: {}. Area: {}.\n\nThis rule is in the catalogue but this version of vpce does not check it yet.",
            code.as_str(),
            code.name(),
            code.default_severity(),
            code.area()
        ),
    }
    ExitStatus::Success
}

fn rule_list() -> String {
    let mut out = String::new();
    for code in Code::ALL {
        let status = if code.doc_page().is_some() {
            ""
        } else {
            "  (not checked yet)"
        };
        out.push_str(&format!(
            "{}  {:<36} {:<8}{status}\n",
            code.as_str(),
            code.name(),
            code.default_severity().as_str()
        ));
    }
    out
}
