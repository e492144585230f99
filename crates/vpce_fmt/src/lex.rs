//! A lexer just precise enough for layout: it splits HCL into the tokens whose spacing
//! the formatter decides, and keeps every quoted string, heredoc and comment whole, so
//! their text is copied byte for byte. It never fails: text it does not know becomes an
//! `Other` token (the input has already parsed, and the output is parsed again).

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Newline,
    /// `# ...`, `// ...` (without the line end) or `/* ... */`.
    Comment,
    Ident,
    Number,
    /// A quoted string with its interpolations and directives, kept whole.
    Quoted,
    /// `<<EOT` or `<<-EOT` through its closing marker, kept whole.
    Heredoc,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    OpenParen,
    CloseParen,
    Equal,
    Comma,
    Dot,
    Ellipsis,
    Colon,
    DoubleColon,
    Question,
    FatArrow,
    Bang,
    Minus,
    /// `+ * / %`
    Arithmetic,
    /// `== != < > <= >=`
    Comparison,
    /// `&& ||`
    Logical,
    Other,
}

impl Kind {
    /// +1 for an opening bracket, -1 for a closing one.
    pub fn bracket_change(self) -> i32 {
        match self {
            Kind::OpenBrace | Kind::OpenBracket | Kind::OpenParen => 1,
            Kind::CloseBrace | Kind::CloseBracket | Kind::CloseParen => -1,
            _ => 0,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Token<'s> {
    pub kind: Kind,
    pub text: &'s str,
}

pub fn tokens(source: &str) -> Vec<Token<'_>> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &source[at..];
        let (kind, len) = match bytes[at] {
            b'\n' => (Kind::Newline, 1),
            b'\r' if rest.starts_with("\r\n") => (Kind::Newline, 2),
            b' ' | b'\t' | b'\r' => {
                at += 1;
                continue;
            }
            b'#' => (Kind::Comment, line_end(rest)),
            b'/' if rest.starts_with("//") => (Kind::Comment, line_end(rest)),
            b'/' if rest.starts_with("/*") => (
                Kind::Comment,
                rest[2..].find("*/").map_or(rest.len(), |end| end + 4),
            ),
            b'"' => (Kind::Quoted, quoted_len(rest)),
            b'<' if rest.starts_with("<<") => match heredoc_len(rest) {
                Some(len) => (Kind::Heredoc, len),
                None => (Kind::Comparison, 1),
            },
            b'{' => (Kind::OpenBrace, 1),
            b'}' => (Kind::CloseBrace, 1),
            b'[' => (Kind::OpenBracket, 1),
            b']' => (Kind::CloseBracket, 1),
            b'(' => (Kind::OpenParen, 1),
            b')' => (Kind::CloseParen, 1),
            b',' => (Kind::Comma, 1),
            b'?' => (Kind::Question, 1),
            b'.' if rest.starts_with("...") => (Kind::Ellipsis, 3),
            b'.' => (Kind::Dot, 1),
            b':' if rest.starts_with("::") => (Kind::DoubleColon, 2),
            b':' => (Kind::Colon, 1),
            b'=' if rest.starts_with("=>") => (Kind::FatArrow, 2),
            b'=' if rest.starts_with("==") => (Kind::Comparison, 2),
            b'=' => (Kind::Equal, 1),
            b'!' if rest.starts_with("!=") => (Kind::Comparison, 2),
            b'!' => (Kind::Bang, 1),
            b'<' | b'>' if rest[1..].starts_with('=') => (Kind::Comparison, 2),
            b'<' | b'>' => (Kind::Comparison, 1),
            b'&' if rest.starts_with("&&") => (Kind::Logical, 2),
            b'|' if rest.starts_with("||") => (Kind::Logical, 2),
            b'-' => (Kind::Minus, 1),
            b'+' | b'*' | b'/' | b'%' => (Kind::Arithmetic, 1),
            b'0'..=b'9' => (Kind::Number, number_len(rest)),
            _ => {
                let first = rest.chars().next().unwrap_or(' ');
                if first == '_' || first.is_alphabetic() {
                    (Kind::Ident, ident_len(rest))
                } else if first.is_whitespace() {
                    at += first.len_utf8();
                    continue;
                } else {
                    (Kind::Other, first.len_utf8())
                }
            }
        };
        let text = &source[at..at + len];
        // A line comment's trailing whitespace is no part of what it says.
        let text = if kind == Kind::Comment && !text.starts_with("/*") {
            text.trim_end()
        } else {
            text
        };
        out.push(Token { kind, text });
        at += len;
    }
    out
}

/// Up to (not including) the line end.
fn line_end(rest: &str) -> usize {
    rest.find('\n').unwrap_or(rest.len())
}

fn ident_len(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(_, c)| !(c == '_' || c == '-' || c.is_alphanumeric()))
        .map_or(rest.len(), |(i, _)| i)
}

/// `12`, `1.5`, `1e3`, `2.5E-3`.
fn number_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let digits = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = digits(0);
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits(end + 1);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        if bytes.get(end + 1 + sign).is_some_and(u8::is_ascii_digit) {
            end = digits(end + 1 + sign);
        }
    }
    end
}

/// A quoted string from its opening `"` through its closing one, interpolations
/// (`${ ... }`, `%{ ... }`, which may hold quoted strings and braces) included. An
/// unterminated string ends at the line end.
fn quoted_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1 + rest[at + 1..].chars().next().map_or(0, char::len_utf8),
            b'"' => return at + 1,
            b'\n' => return at,
            b'$' | b'%'
                if bytes.get(at + 1) == Some(&bytes[at]) && bytes.get(at + 2) == Some(&b'{') =>
            {
                // `$${` and `%%{` are literal text.
                at += 3;
            }
            b'$' | b'%' if rest[at + 1..].starts_with('{') => {
                at += 2 + template_expression_len(&rest[at + 2..]);
            }
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The rest of an interpolation or directive after its `${`, through its closing `}`.
fn template_expression_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut depth = 1;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                at += quoted_len(&rest[at..]);
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    bytes.len()
}

/// `<<EOT` / `<<-EOT`, its line end, its lines, through the closing marker (the line
/// end after it is not part of it). `None` when `<<` does not start a heredoc.
fn heredoc_len(rest: &str) -> Option<usize> {
    let after = rest[2..].strip_prefix('-').unwrap_or(&rest[2..]);
    let marker = &after[..ident_len(after)];
    if marker.is_empty() || !marker.starts_with(|c: char| c == '_' || c.is_alphabetic()) {
        return None;
    }
    let header_end = rest.len() - after.len() + marker.len();
    let line_break = if rest[header_end..].starts_with("\r\n") {
        2
    } else if rest[header_end..].starts_with('\n') {
        1
    } else {
        return None;
    };
    let mut line_start = header_end + line_break;
    while line_start < rest.len() {
        let line_len = line_end(&rest[line_start..]);
        let line = &rest[line_start..line_start + line_len];
        if line.trim() == marker {
            return Some(line_start + line.trim_end().len());
        }
        line_start += line_len + 1;
    }
    Some(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(Kind, &str)> {
        tokens(source)
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn strings_heredocs_and_comments_stay_whole() {
        let source =
            "a = \"x ${f(\"}\", {b = 1})} %%{y}\" # note  \nb = <<-EOT\n  ${c}\n  EOT\n/* c\n */";
        assert_eq!(
            kinds(source),
            vec![
                (Kind::Ident, "a"),
                (Kind::Equal, "="),
                (Kind::Quoted, "\"x ${f(\"}\", {b = 1})} %%{y}\""),
                (Kind::Comment, "# note"),
                (Kind::Newline, "\n"),
                (Kind::Ident, "b"),
                (Kind::Equal, "="),
                (Kind::Heredoc, "<<-EOT\n  ${c}\n  EOT"),
                (Kind::Newline, "\n"),
                (Kind::Comment, "/* c\n */"),
            ]
        );
    }

    #[test]
    fn identifiers_may_hold_dashes_and_numbers_exponents() {
        assert_eq!(
            kinds("a-b - 1.5e-3 >= x.0"),
            vec![
                (Kind::Ident, "a-b"),
                (Kind::Minus, "-"),
                (Kind::Number, "1.5e-3"),
                (Kind::Comparison, ">="),
                (Kind::Ident, "x"),
                (Kind::Dot, "."),
                (Kind::Number, "0"),
            ]
        );
    }
}
