//! SCIM filters (RFC 7644 §3.4.2.2) parsed into a small tree and evaluated in Rust over a
//! directory's own resources, so no text from the directory ever becomes SQL.

use serde_json::Value;

use super::USER_SCHEMA;

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Present(AttrPath),
    Compare(AttrPath, Op, Value),
    /// `emails[type eq "work"]`: some element of the multi-valued attribute matches.
    ValuePath(AttrPath, Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

/// An attribute, optionally with a sub-attribute, optionally qualified by its schema URN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    pub schema: Option<String>,
    pub name: String,
    pub sub: Option<String>,
}

const MAX_FILTER_CHARS: usize = 2_000;
const MAX_DEPTH: usize = 20;

impl AttrPath {
    pub fn parse(raw: &str) -> Result<AttrPath, String> {
        let raw = raw.trim();
        let (schema, rest) = if raw.to_ascii_lowercase().starts_with("urn:") {
            match raw.rfind(':') {
                Some(at) => (Some(raw[..at].to_owned()), &raw[at + 1..]),
                None => return Err(format!("“{raw}” is not an attribute path.")),
            }
        } else {
            (None, raw)
        };
        let (name, sub) = match rest.split_once('.') {
            Some((name, sub)) => (name, Some(sub.to_owned())),
            None => (rest, None),
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        };
        if !valid(name) || sub.as_deref().is_some_and(|s| !valid(s)) {
            return Err(format!("“{raw}” is not an attribute path."));
        }
        Ok(AttrPath {
            schema,
            name: name.to_owned(),
            sub,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
    OpenBracket,
    CloseBracket,
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '[' => {
                chars.next();
                tokens.push(Token::OpenBracket);
            }
            ']' => {
                chars.next();
                tokens.push(Token::CloseBracket);
            }
            '"' => {
                chars.next();
                let mut text = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => text.push('\n'),
                            Some('t') => text.push('\t'),
                            Some(other) => text.push(other),
                            None => break,
                        },
                        '"' => {
                            closed = true;
                            break;
                        }
                        other => text.push(other),
                    }
                }
                if !closed {
                    return Err("A quoted value is not closed.".into());
                }
                tokens.push(Token::Str(text));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if matches!(c, ' ' | '\t' | '(' | ')' | '[' | ']' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

pub fn parse(input: &str) -> Result<Filter, String> {
    if input.chars().count() > MAX_FILTER_CHARS {
        return Err("The filter is too long.".into());
    }
    let mut parser = Parser {
        tokens: tokenize(input)?,
        at: 0,
        depth: 0,
    };
    let filter = parser.or()?;
    if parser.at != parser.tokens.len() {
        return Err("The filter has unexpected text at its end.".into());
    }
    Ok(filter)
}

fn keyword(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn or(&mut self) -> Result<Filter, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("The filter is nested too deeply.".into());
        }
        let mut left = self.and()?;
        while keyword(self.peek(), "or") {
            self.at += 1;
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.factor()?;
        while keyword(self.peek(), "and") {
            self.at += 1;
            let right = self.factor()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Filter, String> {
        if keyword(self.peek(), "not") {
            self.at += 1;
            if self.next() != Some(Token::Open) {
                return Err("“not” must be followed by a parenthesis.".into());
            }
            let inner = self.or()?;
            if self.next() != Some(Token::Close) {
                return Err("A parenthesis is not closed.".into());
            }
            return Ok(Filter::Not(Box::new(inner)));
        }
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or()?;
                if self.next() != Some(Token::Close) {
                    return Err("A parenthesis is not closed.".into());
                }
                Ok(inner)
            }
            Some(Token::Word(word)) => {
                let path = AttrPath::parse(&word)?;
                if self.peek() == Some(&Token::OpenBracket) {
                    self.at += 1;
                    let inner = self.or()?;
                    if self.next() != Some(Token::CloseBracket) {
                        return Err("A bracket is not closed.".into());
                    }
                    return Ok(Filter::ValuePath(path, Box::new(inner)));
                }
                self.comparison(path)
            }
            _ => Err("Expected an attribute name.".into()),
        }
    }

    fn comparison(&mut self, path: AttrPath) -> Result<Filter, String> {
        let Some(Token::Word(op)) = self.next() else {
            return Err("Expected an operator such as eq.".into());
        };
        let op = match op.to_ascii_lowercase().as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            other => return Err(format!("“{other}” is not a filter operator.")),
        };
        let value = match self.next() {
            Some(Token::Str(text)) => Value::String(text),
            Some(Token::Word(word)) => match word.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => serde_json::from_str::<serde_json::Number>(&word)
                    .map(Value::Number)
                    .map_err(|_| format!("“{word}” is not a value: quote strings."))?,
            },
            _ => return Err("Expected a value after the operator.".into()),
        };
        Ok(Filter::Compare(path, op, value))
    }
}

/// Looks a key up ignoring case, as SCIM attribute names are case-insensitive.
pub fn get_ci<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// The values an attribute path names in a resource (several for multi-valued attributes).
fn values_at<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let container = match &path.schema {
        Some(schema) => get_ci(resource, schema).unwrap_or(resource),
        None => resource,
    };
    let Some(value) = get_ci(container, &path.name) else {
        return Vec::new();
    };
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .filter_map(|item| match (&path.sub, item) {
            (Some(sub), item) => get_ci(item, sub),
            // A complex multi-valued attribute compared as a whole compares its `value`.
            (None, Value::Object(_)) => get_ci(item, "value"),
            (None, item) => Some(item),
        })
        .collect()
}

/// Identifiers chosen by the directory compare exactly; everything else ignores case.
fn case_exact(path: &AttrPath) -> bool {
    path.sub.is_none()
        && (path.name.eq_ignore_ascii_case("externalId") || path.name.eq_ignore_ascii_case("id"))
}

fn compare(actual: &Value, op: Op, expected: &Value, exact: bool) -> bool {
    match (actual, expected) {
        (Value::String(a), Value::String(e)) => {
            let (a, e) = if exact {
                (a.clone(), e.clone())
            } else {
                (a.to_lowercase(), e.to_lowercase())
            };
            match op {
                Op::Eq => a == e,
                Op::Ne => a != e,
                Op::Co => a.contains(&e),
                Op::Sw => a.starts_with(&e),
                Op::Ew => a.ends_with(&e),
                Op::Gt => a > e,
                Op::Ge => a >= e,
                Op::Lt => a < e,
                Op::Le => a <= e,
            }
        }
        (Value::Bool(a), Value::Bool(e)) => match op {
            Op::Eq => a == e,
            Op::Ne => a != e,
            _ => false,
        },
        (Value::Number(a), Value::Number(e)) => {
            let (Some(a), Some(e)) = (a.as_f64(), e.as_f64()) else {
                return false;
            };
            match op {
                Op::Eq => a == e,
                Op::Ne => a != e,
                Op::Gt => a > e,
                Op::Ge => a >= e,
                Op::Lt => a < e,
                Op::Le => a <= e,
                _ => false,
            }
        }
        _ => op == Op::Ne,
    }
}

fn present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => true,
    }
}

/// `userName eq "…"` alone, the question provisioning clients ask before every create: it is
/// answered from an index rather than by reading the whole directory.
pub fn user_name_equals(filter: &Filter) -> Option<&str> {
    match filter {
        Filter::Compare(path, Op::Eq, Value::String(name))
            if path.sub.is_none()
                && path.name.eq_ignore_ascii_case("userName")
                && path
                    .schema
                    .as_deref()
                    .is_none_or(|schema| schema.eq_ignore_ascii_case(USER_SCHEMA)) =>
        {
            Some(name)
        }
        _ => None,
    }
}

pub fn matches(filter: &Filter, resource: &Value) -> bool {
    match filter {
        Filter::And(a, b) => matches(a, resource) && matches(b, resource),
        Filter::Or(a, b) => matches(a, resource) || matches(b, resource),
        Filter::Not(inner) => !matches(inner, resource),
        Filter::Present(path) => values_at(resource, path).into_iter().any(present),
        Filter::Compare(path, op, expected) => {
            let values = values_at(resource, path);
            if values.is_empty() {
                return *op == Op::Ne && !expected.is_null();
            }
            let exact = case_exact(path);
            values.into_iter().any(|v| compare(v, *op, expected, exact))
        }
        Filter::ValuePath(path, inner) => {
            let container = match &path.schema {
                Some(schema) => get_ci(resource, schema).unwrap_or(resource),
                None => resource,
            };
            match get_ci(container, &path.name) {
                Some(Value::Array(items)) => items.iter().any(|item| matches(inner, item)),
                Some(item @ Value::Object(_)) => matches(inner, item),
                _ => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "userName": "Ada@Example.org",
            "externalId": "E-1",
            "active": true,
            "emails": [{"value": "ada@example.org", "primary": true}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Maths"}
        })
    }

    fn check(filter: &str) -> bool {
        matches(&parse(filter).unwrap(), &user())
    }

    #[test]
    fn only_a_plain_user_name_equality_takes_the_index() {
        let name = |raw: &str| {
            parse(raw)
                .ok()
                .and_then(|f| user_name_equals(&f).map(str::to_owned))
        };
        assert_eq!(name(r#"userName eq "Ada""#).as_deref(), Some("Ada"));
        assert_eq!(
            name(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "Ada""#).as_deref(),
            Some("Ada")
        );
        assert_eq!(name(r#"userName ne "Ada""#), None);
        assert_eq!(name(r#"userName eq "Ada" or active eq true"#), None);
        assert_eq!(name(r#"displayName eq "Ada""#), None);
    }

    #[test]
    fn operators_and_logic() {
        assert!(check(r#"userName eq "ada@example.org""#));
        assert!(check(r#"username co "example""#));
        assert!(check(r#"userName sw "ada""#));
        assert!(!check(r#"externalId eq "e-1""#));
        assert!(check(r#"externalId eq "E-1" and active eq true"#));
        assert!(check(
            r#"externalId eq "x" or emails.value eq "ADA@example.org""#
        ));
        assert!(check(r#"emails eq "ada@example.org""#));
        assert!(check(r#"emails[primary eq true and value ew ".org"]"#));
        assert!(check("title pr or externalId pr"));
        assert!(!check("title pr"));
        assert!(check(r#"not (active eq false)"#));
        assert!(check(
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "maths""#
        ));
    }

    #[test]
    fn malformed_filters_are_refused() {
        for bad in [
            "",
            "userName",
            "userName eq",
            r#"userName eq "x"#,
            r#"userName zz "x""#,
            "(userName pr",
            r#"userName eq "x" garbage"#,
            "userName eq unquoted",
            "a.b.c pr",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}userName pr{}", "(".repeat(50), ")".repeat(50));
        assert!(parse(&deep).is_err());
    }
}
