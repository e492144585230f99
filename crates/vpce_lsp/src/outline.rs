//! The block structure of a document as typed, including text that does not parse.
//!
//! hcl-edit (and so `vpce_syntax`) gives no tree for a file with a syntax error, which
//! is most of the time while someone types; completion, symbols and definitions need
//! the enclosing block even then. This scanner knows just enough HCL for that: strings
//! (with `${...}`), heredocs, comments, brackets, `KIND "LABEL" {` headers and `NAME =`
//! attributes. Unclosed blocks end at the end of the text.

/// A word of the text and where it is (byte offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub key: Word,
    /// From after `=` to the end of the value (its line, or its closing bracket).
    pub value_start: usize,
    pub value_end: usize,
    /// The value when it is one string literal without interpolation.
    pub string_value: Option<Word>,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub kind: Word,
    /// Labels without their quotes.
    pub labels: Vec<Word>,
    /// From the kind to the closing brace (or the end of the text).
    pub start: usize,
    pub end: usize,
    /// Just after `{` to the closing brace.
    pub body_start: usize,
    pub body: Body,
}

impl Block {
    pub fn label(&self) -> Option<&str> {
        self.labels.first().map(|l| l.text.as_str())
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident,
    /// A quoted string: its unquoted text when it has no interpolation.
    Str(Option<String>),
    Heredoc,
    Open(u8),
    Close(u8),
    Equals,
    Newline,
    Other,
}

#[derive(Clone, Debug)]
struct Lexeme {
    token: Token,
    start: usize,
    end: usize,
}

pub fn scan(text: &str) -> Body {
    let lexemes = lex(text);
    let mut parser = Parser {
        text,
        lexemes: &lexemes,
        at: 0,
    };
    parser.body(0)
}

/// The innermost blocks containing `offset`, outermost first.
pub fn enclosing(body: &Body, offset: usize) -> Vec<&Block> {
    let mut path = Vec::new();
    let mut current = body;
    while let Some(block) = current
        .blocks
        .iter()
        .find(|b| b.body_start <= offset && offset <= b.end)
    {
        path.push(block);
        current = &block.body;
    }
    path
}

/// Every block of the body, depth first, with its parents' kinds.
pub fn walk<'a>(body: &'a Body, visit: &mut dyn FnMut(&[&'a Block], &'a Block)) {
    fn go<'a>(
        body: &'a Body,
        parents: &mut Vec<&'a Block>,
        visit: &mut dyn FnMut(&[&'a Block], &'a Block),
    ) {
        for block in &body.blocks {
            visit(parents, block);
            parents.push(block);
            go(&block.body, parents, visit);
            parents.pop();
        }
    }
    go(body, &mut Vec::new(), visit);
}

struct Parser<'a> {
    text: &'a str,
    lexemes: &'a [Lexeme],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self, ahead: usize) -> Option<&Lexeme> {
        self.lexemes.get(self.at + ahead)
    }

    fn word(&self, lexeme: &Lexeme) -> Word {
        Word {
            text: self.text[lexeme.start..lexeme.end].to_string(),
            start: lexeme.start,
            end: lexeme.end,
        }
    }

    /// Statements until the `}` that closes this body (consumed) or the end.
    fn body(&mut self, depth: usize) -> Body {
        let mut body = Body::default();
        while let Some(lexeme) = self.peek(0).cloned() {
            match lexeme.token {
                Token::Close(b'}') if depth > 0 => {
                    self.at += 1;
                    return body;
                }
                Token::Ident => self.statement(&lexeme, &mut body, depth),
                _ => self.at += 1,
            }
        }
        body
    }

    fn statement(&mut self, first: &Lexeme, body: &mut Body, depth: usize) {
        if self.peek(1).is_some_and(|l| l.token == Token::Equals) {
            self.at += 2;
            let value_start = self.peek(0).map_or(self.text.len(), |l| l.start);
            let value_first = self.at;
            let value_end = self.skip_value();
            let string_value = match &self.lexemes[value_first..self.at] {
                [Lexeme {
                    token: Token::Str(Some(text)),
                    start,
                    end,
                }] => Some(Word {
                    text: text.clone(),
                    start: start + 1,
                    end: end.saturating_sub(1).max(start + 1),
                }),
                _ => None,
            };
            body.attributes.push(Attribute {
                key: self.word(first),
                value_start: value_start.min(value_end),
                value_end,
                string_value,
            });
            return;
        }
        // `KIND "LABEL" ... {`
        let mut labels = Vec::new();
        let mut ahead = 1;
        while let Some(lexeme) = self.peek(ahead) {
            match &lexeme.token {
                Token::Str(Some(text)) => labels.push(Word {
                    text: text.clone(),
                    start: lexeme.start + 1,
                    end: lexeme.end.saturating_sub(1).max(lexeme.start + 1),
                }),
                Token::Ident => labels.push(self.word(lexeme)),
                Token::Open(b'{') => {
                    let body_start = lexeme.end;
                    self.at += ahead + 1;
                    let inner = self.body(depth + 1);
                    let end = self
                        .lexemes
                        .get(self.at.wrapping_sub(1))
                        .filter(|l| l.token == Token::Close(b'}') && l.start >= body_start)
                        .map_or(self.text.len(), |l| l.end);
                    body.blocks.push(Block {
                        kind: self.word(first),
                        labels,
                        start: first.start,
                        end,
                        body_start,
                        body: inner,
                    });
                    return;
                }
                _ => break,
            }
            ahead += 1;
        }
        self.at += 1;
    }

    /// Skips a value up to the newline that ends it (outside brackets); returns its end.
    fn skip_value(&mut self) -> usize {
        let mut open: Vec<u8> = Vec::new();
        let mut end = self.peek(0).map_or(self.text.len(), |l| l.start);
        while let Some(lexeme) = self.peek(0) {
            match lexeme.token {
                Token::Newline if open.is_empty() => return end,
                Token::Close(b'}') if open.is_empty() => return end,
                Token::Open(bracket) => open.push(bracket),
                Token::Close(bracket) => {
                    let opener = match bracket {
                        b'}' => b'{',
                        b']' => b'[',
                        _ => b'(',
                    };
                    if open.last() == Some(&opener) {
                        open.pop();
                    } else if bracket == b'}' {
                        // An unclosed `[` or `(` (being typed): this `}` closes the block.
                        return end;
                    }
                }
                _ => {}
            }
            if lexeme.token != Token::Newline {
                end = lexeme.end;
            }
            self.at += 1;
        }
        end
    }
}

fn lex(text: &str) -> Vec<Lexeme> {
    let bytes = text.as_bytes();
    let mut lexemes = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let token = match bytes[i] {
            b'\n' => {
                i += 1;
                Token::Newline
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = find(bytes, i + 2, b"*/").map_or(bytes.len(), |at| at + 2);
                continue;
            }
            b'"' => {
                let (end, plain) = skip_string(bytes, i);
                i = end;
                Token::Str(
                    plain.then(|| unescape(&text[start + 1..end.saturating_sub(1).max(start + 1)])),
                )
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                i = skip_heredoc(text, i);
                Token::Heredoc
            }
            b'{' | b'[' | b'(' => {
                i += 1;
                Token::Open(bytes[start])
            }
            b'}' | b']' | b')' => {
                i += 1;
                Token::Close(bytes[start])
            }
            b'=' if !matches!(bytes.get(i + 1), Some(b'=' | b'>')) => {
                i += 1;
                Token::Equals
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-'))
                {
                    i += 1;
                }
                Token::Ident
            }
            _ => {
                // One whole character, so offsets stay on char boundaries.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                if matches!(bytes[start], b'=' | b'!' | b'<' | b'>') && bytes.get(i) == Some(&b'=')
                {
                    i += 1;
                }
                Token::Other
            }
        };
        lexemes.push(Lexeme {
            token,
            start,
            end: i,
        });
    }
    lexemes
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    find(bytes, from, b"\n").unwrap_or(bytes.len())
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

/// A quoted string from its `"`: its end (after the closing quote, or at the end of the
/// line when unclosed) and whether it has no interpolation.
fn skip_string(bytes: &[u8], open: usize) -> (usize, bool) {
    let mut i = open + 1;
    let mut plain = true;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return (i + 1, plain),
            b'\n' => return (i, plain),
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                plain = false;
                i = skip_interpolation(bytes, i + 2);
            }
            _ => i += 1,
        }
    }
    (bytes.len().min(i), plain)
}

/// From inside `${`, past its closing `}`, over nested braces and strings.
fn skip_interpolation(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' => {
                i = skip_string(bytes, i).0;
                continue;
            }
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    i
}

/// `<<EOF` or `<<-EOF` up to the line holding only the marker (or the end).
fn skip_heredoc(text: &str, open: usize) -> usize {
    let rest = &text[open + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let marker: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let Some(first_newline) = text[open..].find('\n').map(|at| open + at + 1) else {
        return text.len();
    };
    if marker.is_empty() {
        return first_newline;
    }
    let mut line_start = first_newline;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |at| line_start + at);
        if text[line_start..line_end].trim() == marker {
            return line_end;
        }
        line_start = line_end + 1;
    }
    text.len()
}

fn unescape(raw: &str) -> String {
    raw.replace("\\\"", "\"").replace("\\\\", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_attributes_with_their_places() {
        let text = "region = \"eu-west-1\"\n# vpc \"commented\" {\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n  tags = {\n    a = \"}\"\n  }\n}\nsecurity_group \"sg\" {\n  ingress {\n    protocol = \"tcp\"\n  }\n}\n";
        let body = scan(text);
        assert_eq!(body.attributes[0].key.text, "region");
        assert_eq!(
            body.attributes[0].string_value.as_ref().unwrap().text,
            "eu-west-1"
        );
        let kinds: Vec<(&str, Option<&str>)> = body
            .blocks
            .iter()
            .map(|b| (b.kind.text.as_str(), b.label()))
            .collect();
        assert_eq!(
            kinds,
            [("vpc", Some("main")), ("security_group", Some("sg"))]
        );
        let vpc = &body.blocks[0];
        assert_eq!(
            &text[vpc.start..vpc.end],
            &text[text.find("vpc \"main\"").unwrap()..text.find("}\nsecurity").unwrap() + 1]
        );
        let keys: Vec<&str> = vpc
            .body
            .attributes
            .iter()
            .map(|a| a.key.text.as_str())
            .collect();
        assert_eq!(keys, ["cidr", "tags"]);
        assert_eq!(body.blocks[1].body.blocks[0].kind.text, "ingress");
    }

    #[test]
    fn unfinished_text_still_has_its_blocks() {
        let text = "vpc \"main\" {\n  cidr = [\"10.0.\n  dns_\n}\nvpc \"b\" {\n  cidr = \"10.0.\n  dns_\nendpoint \"x\" {\n  service = ";
        let body = scan(text);
        let path = enclosing(&body, text.len());
        let kinds: Vec<&str> = path.iter().map(|b| b.kind.text.as_str()).collect();
        assert_eq!(kinds, ["vpc", "endpoint"]);
        assert_eq!(body.blocks[1].label(), Some("b"));
        assert_eq!(path[1].body.attributes[0].key.text, "service");
    }

    #[test]
    fn heredocs_and_interpolations_hide_their_braces() {
        let text = "vpc \"a\" {\n  tags = { x = \"${jsonencode({a = 1})}\" }\n  policy = <<EOF\n}}}\nEOF\n}\nvpc \"b\" {\n}\n";
        let body = scan(text);
        let names: Vec<Option<&str>> = body.blocks.iter().map(Block::label).collect();
        assert_eq!(names, [Some("a"), Some("b")]);
    }
}
