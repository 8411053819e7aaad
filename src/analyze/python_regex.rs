//! Python `re` pattern syntax, translated into the syntax of the `regex` and
//! `fancy-regex` crates with Python's meaning.
//!
//! scikit-learn compiles `token_pattern` with Python's `re`. The same text
//! means something else to the Rust engines: their `\w`, `\d`, `\s`, `\b`
//! and `(?i)` follow Unicode's definitions, not Python's (combining marks are
//! word characters in Rust, `²` and `Ⓐ` in Python), `$` does not match
//! before a final newline, `[[:alpha:]]` is a POSIX class, `\<` a word start.
//! So the pattern is parsed here with Python's grammar (the rules of
//! `re._parser` in Python 3.11) and written out again:
//!
//! - every single-character item (a literal under `(?i)`, `.`, `\w`...,
//!   `[...]`) becomes an explicit class of code point ranges computed by
//!   `python_classes.rs` from tables generated with Python; other literals
//!   are written as `\x{...}` escapes, so no character keeps a meaning of
//!   the Rust syntax;
//! - `\b` and `\B` become Rust's `\b` and `\B` in [`Translation::fast`]
//!   (which agree with Python's wherever no character of the text is a word
//!   character to one and not to the other) and look-around over Python's
//!   `\w` in [`Translation::exact`]; under `(?a)` they become Rust's ASCII
//!   boundaries, which are Python's;
//! - `^`, `$` (end, or before a final newline), `\A`, `\Z` become their
//!   Rust equivalents, with look-ahead for `$`;
//! - look-around is kept (it needs `fancy-regex`).
//!
//! Refused with a message, because neither engine has them or they are not
//! worth the risk of a subtle difference: backreferences (`\1`,
//! `(?P=name)`), conditionals `(?(1)...)`, atomic groups `(?>...)`,
//! possessive quantifiers (`a*+`), `\N{name}`. Python's own syntax errors
//! (`bad escape \q`, `nothing to repeat`, unbalanced parentheses...) are
//! reported before any engine sees the pattern.

use super::python_classes::{CaseFlags, Category, CodeSet, Item, class_set, literal_set};

/// A Python pattern written for the Rust engines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Translation {
    /// For the `regex` crate: Python's Unicode `\b` and `\B` written as
    /// Rust's. Meaningless when [`Translation::needs_fancy`] holds.
    pub(crate) fast: String,
    /// For `fancy-regex`: `\b` and `\B` as look-around over Python's `\w`.
    pub(crate) exact: String,
    /// The pattern has look-around or a `$` outside `(?m)`: only
    /// `fancy-regex` runs it.
    pub(crate) needs_fancy: bool,
    /// The pattern has a `\b` or `\B` outside `(?a)`: [`Translation::fast`]
    /// is exact only on texts without a character in the difference between
    /// Python's `\w` and Rust's.
    pub(crate) unicode_boundary: bool,
    /// The number of capturing groups.
    pub(crate) groups: usize,
}

/// Translates a Python `re` pattern; the error says what Python would
/// refuse, or what topica does not support.
pub(crate) fn translate(pattern: &str) -> Result<Translation, String> {
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
        out: Translation {
            fast: String::new(),
            exact: String::new(),
            needs_fancy: false,
            unicode_boundary: false,
            groups: 0,
        },
    };
    parser.alternation(Flags::default(), true)?;
    if parser.pos < parser.chars.len() {
        // Only a `)` stops the top level early.
        return Err(format!("unbalanced parenthesis at position {}", parser.pos));
    }
    Ok(parser.out)
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    case: CaseFlags,
    multiline: bool,
    dotall: bool,
    verbose: bool,
}

/// What the last item written was, for Python's quantifier rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Anchor,
    Item,
    Repeat,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    out: Translation,
}

/// The class text for a set of code points.
fn class_text(set: &CodeSet) -> String {
    let ranges = set.ranges();
    if ranges.is_empty() {
        return r"[^\x{0}-\x{10FFFF}]".to_string();
    }
    let mut s = String::from("[");
    for (lo, hi) in ranges {
        if lo == hi {
            s.push_str(&format!(r"\x{{{lo:X}}}"));
        } else {
            s.push_str(&format!(r"\x{{{lo:X}}}-\x{{{hi:X}}}"));
        }
    }
    s.push(']');
    s
}

/// A literal character: ASCII letters and digits as themselves, anything
/// else escaped, so that no character means something in the Rust syntax.
fn literal_text(c: u32) -> String {
    match char::from_u32(c) {
        Some(ch) if ch.is_ascii_alphanumeric() => ch.to_string(),
        _ => format!(r"\x{{{c:X}}}"),
    }
}

/// Python's `\b` or `\B` (`negated`) as look-around over a word class.
/// Python's `\B` never matches in an empty string; neither does this one.
fn boundary_lookaround(word: &str, negated: bool) -> String {
    if negated {
        format!(
            r"(?:(?<={word})(?={word})|(?<!{word})(?!{word})(?:(?<=[\x{{0}}-\x{{10FFFF}}])|(?=[\x{{0}}-\x{{10FFFF}}])))"
        )
    } else {
        format!(r"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))")
    }
}

fn is_hex(c: char) -> bool {
    c.is_ascii_hexdigit()
}

fn is_oct(c: char) -> bool {
    ('0'..='7').contains(&c)
}

/// What an escape stands for.
enum Escape {
    Set(CodeSet),
    Literal(u32),
    Anchor { fast: String, exact: String },
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn emit(&mut self, text: &str) {
        self.out.fast.push_str(text);
        self.out.exact.push_str(text);
    }

    fn emit_literal(&mut self, c: u32, flags: Flags) {
        if (0xD800..=0xDFFF).contains(&c) {
            // A surrogate matches nothing in a Rust string.
            self.emit(&class_text(&CodeSet::empty()));
        } else if flags.case.ignore_case {
            self.emit(&class_text(&literal_set(c, false, flags.case)));
        } else {
            self.emit(&literal_text(c));
        }
    }

    /// Alternatives up to a `)` or the end. `top`: the outermost level,
    /// where global flags may open the pattern.
    fn alternation(&mut self, mut flags: Flags, top: bool) -> Result<(), String> {
        let mut last = Last::Nothing;
        let mut at_start = top;
        while let Some(c) = self.peek() {
            if c == ')' {
                break;
            }
            self.pos += 1;
            if c == '|' {
                self.emit("|");
                last = Last::Nothing;
                at_start = false;
                continue;
            }
            if flags.verbose {
                if " \t\n\r\u{b}\u{c}".contains(c) {
                    continue;
                }
                if c == '#' {
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == '\n' {
                            break;
                        }
                    }
                    continue;
                }
            }
            match c {
                '\\' => match self.escape(flags)? {
                    Escape::Set(set) => {
                        self.emit(&class_text(&set));
                        last = Last::Item;
                    }
                    Escape::Literal(c) => {
                        self.emit_literal(c, flags);
                        last = Last::Item;
                    }
                    Escape::Anchor { fast, exact } => {
                        self.out.fast.push_str(&fast);
                        self.out.exact.push_str(&exact);
                        last = Last::Anchor;
                    }
                },
                '[' => {
                    let text = self.class(flags)?;
                    self.emit(&text);
                    last = Last::Item;
                }
                '.' => {
                    let mut set = CodeSet::empty().complement();
                    if !flags.dotall {
                        set = literal_set('\n' as u32, true, CaseFlags::default());
                    }
                    self.emit(&class_text(&set));
                    last = Last::Item;
                }
                '^' => {
                    self.emit(if flags.multiline { "(?m:^)" } else { r"\A" });
                    last = Last::Anchor;
                }
                '$' => {
                    if flags.multiline {
                        self.emit("(?m:$)");
                    } else {
                        // End of text, or before a newline that ends it.
                        self.emit(r"(?:\z|(?=\n\z))");
                        self.out.needs_fancy = true;
                    }
                    last = Last::Anchor;
                }
                '*' | '+' | '?' | '{' => {
                    let Some(quantifier) = self.quantifier(c)? else {
                        // A `{` that does not start `{m,n}` is a literal.
                        self.emit_literal('{' as u32, flags);
                        last = Last::Item;
                        continue;
                    };
                    match last {
                        Last::Nothing | Last::Anchor => {
                            return Err(format!("nothing to repeat at position {}", self.pos - 1));
                        }
                        Last::Repeat => {
                            return Err(format!("multiple repeat at position {}", self.pos - 1));
                        }
                        Last::Item => {}
                    }
                    let mut text = quantifier;
                    if self.eat('?') {
                        text.push('?');
                    } else if self.peek() == Some('+') {
                        return Err("possessive quantifiers (`*+`, `++`, `?+`, `{m,n}+`) are \
                                    not supported"
                            .to_string());
                    }
                    self.emit(&text);
                    last = Last::Repeat;
                }
                '(' => {
                    if self.group(&mut flags, at_start && last == Last::Nothing)? {
                        // Global flags: nothing written, and still the start.
                        continue;
                    }
                    last = Last::Item;
                }
                c => {
                    self.emit_literal(c as u32, flags);
                    last = Last::Item;
                }
            }
            at_start = false;
        }
        Ok(())
    }

    /// A quantifier after its first character `c`; `None` for a `{` that
    /// is a literal.
    fn quantifier(&mut self, c: char) -> Result<Option<String>, String> {
        Ok(Some(match c {
            '*' => "*".to_string(),
            '+' => "+".to_string(),
            '?' => "?".to_string(),
            _ => {
                let here = self.pos;
                if self.peek() == Some('}') {
                    return Ok(None);
                }
                let digits = |p: &mut Parser| {
                    let start = p.pos;
                    while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                        p.pos += 1;
                    }
                    p.chars[start..p.pos].iter().collect::<String>()
                };
                let lo = digits(self);
                let hi = if self.eat(',') {
                    Some(digits(self))
                } else {
                    None
                };
                if !self.eat('}') {
                    self.pos = here;
                    return Ok(None);
                }
                let parse = |s: &str| {
                    s.parse::<u32>()
                        .map_err(|_| "the repetition number is too large".to_string())
                };
                let min = if lo.is_empty() { 0 } else { parse(&lo)? };
                match hi {
                    None => format!("{{{min}}}"),
                    Some(hi) if hi.is_empty() => format!("{{{min},}}"),
                    Some(hi) => {
                        let max = parse(&hi)?;
                        if max < min {
                            return Err(format!(
                                "min repeat greater than max repeat at position {here}"
                            ));
                        }
                        format!("{{{min},{max}}}")
                    }
                }
            }
        }))
    }

    /// A group after its `(`. Returns whether it was a global flags group
    /// (`(?i)` at the start), which changes `flags` and writes nothing.
    fn group(&mut self, flags: &mut Flags, at_start: bool) -> Result<bool, String> {
        let start = self.pos - 1;
        let mut inner = *flags;
        let mut open = "(".to_string();
        if self.eat('?') {
            let Some(c) = self.peek() else {
                return Err("unexpected end of pattern".to_string());
            };
            self.pos += 1;
            match c {
                'P' => {
                    if self.eat('<') {
                        let name = self.until('>', "group name")?;
                        let valid = name
                            .chars()
                            .next()
                            .is_some_and(|c| c == '_' || c.is_alphabetic())
                            && name.chars().all(|c| c == '_' || c.is_alphanumeric());
                        if !valid {
                            return Err(format!("bad character in group name {name:?}"));
                        }
                    } else if self.eat('=') {
                        return Err(unsupported_backreference());
                    } else {
                        return Err("unknown extension ?P".to_string());
                    }
                }
                ':' => open = "(?:".to_string(),
                '#' => {
                    loop {
                        match self.peek() {
                            None => return Err("missing ), unterminated comment".to_string()),
                            Some(c) => {
                                self.pos += 1;
                                if c == ')' {
                                    break;
                                }
                            }
                        }
                    }
                    // A comment is no item: a quantifier after it applies
                    // to what came before, as in Python.
                    return Ok(true);
                }
                '=' | '!' => {
                    open = format!("(?{c}");
                    self.out.needs_fancy = true;
                }
                '<' => {
                    let d = self.peek();
                    if d != Some('=') && d != Some('!') {
                        return Err(format!(
                            "unknown extension ?<{} (named groups are written (?P<name>...))",
                            d.map(String::from).unwrap_or_default()
                        ));
                    }
                    self.pos += 1;
                    open = format!("(?<{}", d.unwrap());
                    self.out.needs_fancy = true;
                }
                '(' => {
                    return Err("conditional groups (?(id)yes|no) are not supported".to_string());
                }
                '>' => return Err("atomic groups (?>...) are not supported".to_string()),
                c if "aiLmsux-".contains(c) => {
                    let (add, del, global) = self.flag_letters(c)?;
                    if global {
                        if !at_start {
                            return Err(format!(
                                "global flags not at the start of the expression at position {start}"
                            ));
                        }
                        apply_flags(flags, &add, "");
                        return Ok(true);
                    }
                    apply_flags(&mut inner, &add, &del);
                    open = "(?:".to_string();
                }
                c => return Err(format!("unknown extension ?{c}")),
            }
        }
        if open == "(" {
            self.out.groups += 1;
        }
        self.emit(&open);
        self.alternation(inner, false)?;
        if !self.eat(')') {
            return Err(format!(
                "missing ), unterminated subpattern at position {start}"
            ));
        }
        self.emit(")");
        Ok(false)
    }

    /// Flag letters after `(?` and their first letter `c`: the letters
    /// added and removed, and whether the group is global (`(?i)`).
    fn flag_letters(&mut self, mut c: char) -> Result<(String, String, bool), String> {
        let mut add = String::new();
        let mut del = String::new();
        if c != '-' {
            loop {
                if c == 'L' {
                    return Err("bad inline flags: cannot use 'L' flag with a str pattern".into());
                }
                add.push(c);
                if add.contains('a') && add.contains('u') {
                    return Err("bad inline flags: flags 'a', 'u' and 'L' are incompatible".into());
                }
                c = self.peek().ok_or("missing -, : or )")?;
                self.pos += 1;
                if ")-:".contains(c) {
                    break;
                }
                if !"aimsux".contains(c) {
                    return Err(if c.is_alphabetic() {
                        "unknown flag"
                    } else {
                        "missing -, : or )"
                    }
                    .into());
                }
            }
        }
        if c == ')' {
            return Ok((add, del, true));
        }
        if c == '-' {
            loop {
                c = self.peek().ok_or("missing flag")?;
                self.pos += 1;
                if c == ':' && !del.is_empty() {
                    break;
                }
                if "aLu".contains(c) {
                    return Err("bad inline flags: cannot turn off flags 'a', 'u' and 'L'".into());
                }
                if !"imsx".contains(c) {
                    return Err(if c.is_alphabetic() {
                        "unknown flag"
                    } else {
                        "missing :"
                    }
                    .into());
                }
                del.push(c);
            }
        }
        if add.chars().any(|c| del.contains(c)) {
            return Err("bad inline flags: flag turned on and off".into());
        }
        Ok((add, del, false))
    }

    /// The text up to `end` (consumed), for names.
    fn until(&mut self, end: char, what: &str) -> Result<String, String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == end {
                let name: String = self.chars[start..self.pos - 1].iter().collect();
                if name.is_empty() {
                    return Err(format!("missing {what}"));
                }
                return Ok(name);
            }
        }
        Err(format!("missing {end}, unterminated name"))
    }

    /// `n` hexadecimal digits after `\x`, `\u` or `\U`.
    fn hex(&mut self, n: usize, escape: char) -> Result<u32, String> {
        let start = self.pos;
        while self.pos - start < n && self.peek().is_some_and(is_hex) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        if digits.len() != n {
            return Err(format!("incomplete escape \\{escape}{digits}"));
        }
        let value = u32::from_str_radix(&digits, 16).expect("hex digits");
        if value > 0x10FFFF {
            return Err(format!("bad escape \\{escape}{digits}"));
        }
        Ok(value)
    }

    /// Up to `n` more octal digits after `first`.
    fn octal(&mut self, first: char, n: usize) -> Result<u32, String> {
        let mut value = first.to_digit(8).expect("octal digit");
        let mut text = first.to_string();
        for _ in 0..n {
            match self.peek() {
                Some(c) if is_oct(c) => {
                    self.pos += 1;
                    value = value * 8 + c.to_digit(8).expect("octal digit");
                    text.push(c);
                }
                _ => break,
            }
        }
        if value > 0o377 {
            return Err(format!(
                "octal escape value \\{text} outside of range 0-0o377"
            ));
        }
        Ok(value)
    }

    /// The escapes that mean the same inside and outside a class, after
    /// the backslash and `c`; `None` for the others.
    fn common_escape(&mut self, c: char, flags: Flags) -> Result<Option<Escape>, String> {
        let category = |cat, negated| {
            Escape::Set(class_set(
                &[Item::Category(cat, negated)],
                false,
                flags.case,
            ))
        };
        Ok(Some(match c {
            'd' => category(Category::Digit, false),
            'D' => category(Category::Digit, true),
            's' => category(Category::Space, false),
            'S' => category(Category::Space, true),
            'w' => category(Category::Word, false),
            'W' => category(Category::Word, true),
            'a' => Escape::Literal(7),
            'f' => Escape::Literal(0xC),
            'n' => Escape::Literal(0xA),
            'r' => Escape::Literal(0xD),
            't' => Escape::Literal(9),
            'v' => Escape::Literal(0xB),
            'x' => Escape::Literal(self.hex(2, 'x')?),
            'u' => Escape::Literal(self.hex(4, 'u')?),
            'U' => Escape::Literal(self.hex(8, 'U')?),
            'N' => {
                return Err(
                    r"named characters \N{...} are not supported: write the character \
                             or \u/\U with its code"
                        .to_string(),
                );
            }
            _ => return Ok(None),
        }))
    }

    /// An escape outside a class, after the backslash.
    fn escape(&mut self, flags: Flags) -> Result<Escape, String> {
        let c = self.peek().ok_or("bad escape (end of pattern)")?;
        self.pos += 1;
        if let Some(escape) = self.common_escape(c, flags)? {
            return Ok(escape);
        }
        let boundary = |negated: bool| {
            if flags.case.ascii {
                let word = class_text(&CodeSet::from_ranges(Category::Word.ascii_ranges()));
                Escape::Anchor {
                    fast: if negated { r"(?-u:\B)" } else { r"(?-u:\b)" }.to_string(),
                    exact: boundary_lookaround(&word, negated),
                }
            } else {
                let word = class_text(&Category::Word.set(false));
                Escape::Anchor {
                    fast: if negated { r"\B" } else { r"\b" }.to_string(),
                    exact: boundary_lookaround(&word, negated),
                }
            }
        };
        Ok(match c {
            'b' | 'B' => {
                if !flags.case.ascii {
                    self.out.unicode_boundary = true;
                }
                boundary(c == 'B')
            }
            'A' => Escape::Anchor {
                fast: r"\A".into(),
                exact: r"\A".into(),
            },
            'Z' => Escape::Anchor {
                fast: r"\z".into(),
                exact: r"\z".into(),
            },
            '0' => Escape::Literal(self.octal('0', 2)?),
            '1'..='9' => {
                // Three octal digits make an octal escape; anything else is
                // a group reference.
                let octal = is_oct(c)
                    && self.peek().is_some_and(is_oct)
                    && self.chars.get(self.pos + 1).copied().is_some_and(is_oct);
                if !octal {
                    return Err(unsupported_backreference());
                }
                Escape::Literal(self.octal(c, 2)?)
            }
            c if c.is_ascii_alphanumeric() => return Err(format!("bad escape \\{c}")),
            c => Escape::Literal(c as u32),
        })
    }

    /// An escape inside a class, after the backslash: an item.
    fn class_escape(&mut self, flags: Flags) -> Result<Item, String> {
        let c = self.peek().ok_or("unterminated character set")?;
        self.pos += 1;
        if c == 'b' {
            return Ok(Item::Literal(8));
        }
        let category = match c {
            'd' | 'D' => Some(Category::Digit),
            's' | 'S' => Some(Category::Space),
            'w' | 'W' => Some(Category::Word),
            _ => None,
        };
        if let Some(cat) = category {
            return Ok(Item::Category(cat, c.is_ascii_uppercase()));
        }
        if let Some(Escape::Literal(v)) = self.common_escape(c, flags)? {
            return Ok(Item::Literal(v));
        }
        Ok(match c {
            c if is_oct(c) => Item::Literal(self.octal(c, 2)?),
            c if c.is_ascii_alphanumeric() => return Err(format!("bad escape \\{c}")),
            c => Item::Literal(c as u32),
        })
    }

    /// A class after its `[`, as class text.
    fn class(&mut self, flags: Flags) -> Result<String, String> {
        let unterminated = || "unterminated character set".to_string();
        let negated = self.eat('^');
        let mut items: Vec<Item> = Vec::new();
        loop {
            let c = self.peek().ok_or_else(unterminated)?;
            self.pos += 1;
            if c == ']' && !items.is_empty() {
                break;
            }
            let first = if c == '\\' {
                self.class_escape(flags)?
            } else {
                Item::Literal(c as u32)
            };
            if self.eat('-') {
                let d = self.peek().ok_or_else(unterminated)?;
                self.pos += 1;
                if d == ']' {
                    items.push(first);
                    items.push(Item::Literal('-' as u32));
                    break;
                }
                let second = if d == '\\' {
                    self.class_escape(flags)?
                } else {
                    Item::Literal(d as u32)
                };
                match (first, second) {
                    (Item::Literal(lo), Item::Literal(hi)) if lo <= hi => {
                        items.push(Item::Range(lo, hi))
                    }
                    _ => return Err(format!("bad character range at position {}", self.pos - 1)),
                }
            } else {
                items.push(first);
            }
        }
        let set = match items[..] {
            [Item::Literal(c), ..] if items.iter().all(|&i| i == Item::Literal(c)) => {
                literal_set(c, negated, flags.case)
            }
            _ => class_set(&items, negated, flags.case),
        };
        Ok(class_text(&set))
    }
}

fn apply_flags(flags: &mut Flags, add: &str, del: &str) {
    for (letters, on) in [(add, true), (del, false)] {
        for c in letters.chars() {
            match c {
                'i' => flags.case.ignore_case = on,
                'a' => flags.case.ascii = on,
                'u' => flags.case.ascii = false,
                'm' => flags.multiline = on,
                's' => flags.dotall = on,
                'x' => flags.verbose = on,
                _ => {}
            }
        }
    }
}

fn unsupported_backreference() -> String {
    "backreferences (\\1, (?P=name)) are not supported".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(pattern: &str) -> String {
        translate(pattern).unwrap().fast
    }

    #[test]
    fn literals_are_escaped_and_rust_only_syntax_loses_its_meaning() {
        assert_eq!(fast("ab"), "ab");
        assert_eq!(fast(r"a\.b"), r"a\x{2E}b");
        // `\<` is a word start in Rust, a literal `<` in Python.
        assert_eq!(fast(r"\<"), r"\x{3C}");
        // A POSIX class in Rust; in Python a set of `[:alph` then a `]`.
        assert_eq!(
            fast("[[:alpha:]]"),
            r"[\x{3A}\x{5B}\x{61}\x{68}\x{6C}\x{70}]\x{5D}"
        );
    }

    #[test]
    fn python_syntax_errors_are_reported() {
        for (pattern, message) in [
            (r"\q", "bad escape"),
            ("*a", "nothing to repeat"),
            ("a**", "multiple repeat"),
            (r"\b+", "nothing to repeat"),
            ("(a", "missing )"),
            ("a)", "unbalanced parenthesis"),
            ("[a", "unterminated character set"),
            ("[z-a]", "bad character range"),
            ("a(?i)", "global flags not at the start"),
            ("a{3,2}", "min repeat greater than max repeat"),
            (r"(a)\1", "backreferences"),
            ("a*+", "possessive"),
            ("(?<n>a)", "unknown extension"),
        ] {
            let e = translate(pattern).unwrap_err();
            assert!(e.contains(message), "{pattern}: {e}");
        }
    }

    #[test]
    fn braces_that_are_not_a_repetition_are_literals() {
        assert_eq!(fast("a{"), r"a\x{7B}");
        assert_eq!(fast("a{}"), r"a\x{7B}\x{7D}");
        assert_eq!(fast("a{,2}"), "a{0,2}");
        assert_eq!(fast("a{x}"), r"a\x{7B}x\x{7D}");
    }

    #[test]
    fn features_decide_the_engine() {
        let t = translate(r"(?u)\b\w\w+\b").unwrap();
        assert!(t.unicode_boundary && !t.needs_fancy && t.groups == 0);
        let t = translate(r"(?a)\b\w+\b").unwrap();
        assert!(!t.unicode_boundary && !t.needs_fancy);
        assert!(translate("a$").unwrap().needs_fancy);
        assert!(!translate("(?m)a$").unwrap().needs_fancy);
        let t = translate(r"(?<=#)(\w+)(?P<x>y)(?:z)").unwrap();
        assert!(t.needs_fancy && t.groups == 2);
    }
}
