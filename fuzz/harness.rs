//! The fuzzing harness: one function per fuzz target, each checking real
//! properties of topica on arbitrary bytes (not only "no panic").
//!
//! The fuzz targets in `fuzz_targets/` (nightly, cargo-fuzz) and the stable
//! test `tests/fuzz_replay.rs` (which replays `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/`) both include this file, so a kept input is
//! checked the same way by `cargo test`. A broken property panics.
//!
//! The first byte of an input picks options (split mode, strict decoding,
//! field names, analyzer configuration); the rest is the data.

use std::collections::HashMap;
use std::path::Path;

use topica::analyze::{AnalyzerKind, Language, StopWordList, StripAccents};
use topica::corpus::{Corpus, Format, ReadOptions, Split};
use topica::vectorize::{Norm, TfidfParams, TfidfVectorizer};

/// The name every fuzzed stream is read under.
const NAME: &str = "fuzz";

/// An id or text field name that no input will hold, so ids are line numbers.
const ABSENT_FIELD: &str = "no such field \u{1}";

/// The gzip magic bytes: such a stream is gunzipped before decoding.
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// The UTF-8 byte order mark, dropped by the readers.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Splits off the options byte; `None` for an empty input.
fn options_byte(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(&b, rest)| (b, rest))
}

/// The reading options of a JSONL or CSV input from its options byte: bit 0
/// `--strict`, bit 1 the text field (`text` or `body`), bit 2 the id field
/// (`id` or one no input has).
fn record_options(opts: u8, format: Format) -> ReadOptions {
    let text_field = if opts & 2 == 0 { "text" } else { "body" };
    let id_field = if opts & 4 == 0 { "id" } else { ABSENT_FIELD };
    ReadOptions::default()
        .with_format(format)
        .with_strict(opts & 1 != 0)
        .with_text_field(text_field)
        .with_id_field(id_field)
}

/// Reads `body` as one stream with `options`, twice, checking that both
/// reads agree and that an error has a message.
fn read_twice(body: &[u8], options: &ReadOptions) -> Result<Corpus, String> {
    let first = Corpus::from_reader(body, NAME, options).map_err(|e| e.to_string());
    let second = Corpus::from_reader(body, NAME, options).map_err(|e| e.to_string());
    assert_eq!(first, second, "reading the same bytes twice differs");
    if let Err(message) = &first {
        assert!(!message.trim().is_empty(), "an error without a message");
    }
    if let Ok(corpus) = &first {
        assert!(!corpus.documents.is_empty(), "Ok without documents");
        for w in &corpus.warnings {
            assert!(!w.trim().is_empty(), "an empty warning");
        }
        for (i, d) in corpus.documents.iter().enumerate() {
            assert_eq!(d.position, i, "positions count documents from 0");
            assert_eq!(&*d.source, NAME);
            assert!(d.line >= 1, "lines are 1-based");
        }
        for pair in corpus.documents.windows(2) {
            assert!(pair[0].line < pair[1].line, "lines must increase");
        }
    }
    first
}

/// The bytes the decoder sees, when the stream is UTF-8 (or meant to be):
/// the body without its byte order mark. `None` for a gzipped stream, and
/// for one that opens with a UTF-16 byte order mark (`FF FE`, `FE FF`),
/// which the readers decode as UTF-16: the references here read UTF-8.
fn plain_bytes(body: &[u8]) -> Option<&[u8]> {
    if body.starts_with(GZIP_MAGIC)
        || body.starts_with(b"\xff\xfe")
        || body.starts_with(b"\xfe\xff")
    {
        None
    } else {
        Some(body.strip_prefix(BOM).unwrap_or(body))
    }
}

/// The rules of strict reading shared by all formats. `--strict` turns every
/// warning about damaged data (each ends "use --strict to refuse" or names
/// --strict) into an error, and changes nothing else: so strict mode succeeds
/// exactly when lossy mode succeeds without such a warning, and then reads
/// the same; bytes that are not UTF-8 are always refused (by the UTF-8 rule,
/// or by an earlier one such as NUL bytes); lossy mode warns about UTF-8 iff
/// some bytes are not UTF-8.
fn check_decoding(body: &[u8], options: &ReadOptions, got: &Result<Corpus, String>) {
    let Some(bytes) = plain_bytes(body) else {
        return;
    };
    let valid = std::str::from_utf8(bytes).is_ok();
    let utf8_warning = |c: &Corpus| c.warnings.iter().any(|w| w.contains("not valid UTF-8"));
    let strict_warning = |c: &Corpus| c.warnings.iter().any(|w| w.contains("--strict"));
    if options.strict {
        let lossy = Corpus::from_reader(body, NAME, &options.clone().with_strict(false))
            .map_err(|e| e.to_string());
        match (got, &lossy) {
            (Ok(strict), Ok(lossy)) => {
                assert!(valid, "strict mode read bytes that are not UTF-8");
                assert_eq!(strict, lossy, "strict and lossy reads differ");
                assert!(!strict_warning(lossy), "{:?}", lossy.warnings);
            }
            (Err(message), Ok(lossy)) => assert!(
                strict_warning(lossy),
                "strict refused ({message}) what lossy read without a warning to refuse: {:?}",
                lossy.warnings
            ),
            (Ok(_), Err(message)) => panic!("strict read what lossy refused: {message}"),
            (Err(_), Err(_)) => {}
        }
    } else if let Ok(corpus) = got {
        assert_eq!(utf8_warning(corpus), !valid, "{:?}", corpus.warnings);
    }
}

/// The text the readers decode: lossily, without the byte order mark.
fn lossy_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A plain reimplementation of the paragraph rules of `topica::corpus`:
/// `(line, text)` of every non-empty trimmed paragraph.
fn reference_paragraphs(text: &str, split: Split) -> Vec<(usize, String)> {
    let blank = |l: &str| l.trim().is_empty();
    // Lines end at `\n`, `\r\n` or a lone `\r` (Python's universal newlines).
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let split = match split {
        Split::Auto if lines.iter().any(|l| blank(l)) => Split::Blank,
        Split::Auto => Split::Lines,
        other => other,
    };
    let mut out = Vec::new();
    let mut keep = |line: usize, text: String| {
        let text = text.trim();
        if !text.is_empty() {
            out.push((line, text.to_string()));
        }
    };
    match split {
        Split::Lines => {
            for (i, l) in lines.iter().enumerate() {
                keep(i + 1, l.to_string());
            }
        }
        Split::Blank => {
            let mut i = 0;
            while i < lines.len() {
                if blank(lines[i]) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < lines.len() && !blank(lines[i]) {
                    i += 1;
                }
                keep(start + 1, lines[start..i].join("\n"));
            }
        }
        Split::None | Split::Auto => {
            if let Some(first) = lines.iter().position(|l| !blank(l)) {
                keep(first + 1, lines.join("\n"));
            }
        }
    }
    out
}

/// Plain text with paragraph splitting. Options byte: bits 0-1 the split mode,
/// bit 2 strict decoding.
///
/// Checks: a clean error or documents; reading twice agrees; ids are
/// `fuzz#N` with `N` the position; every paragraph is non-empty and trimmed,
/// lines increase; the paragraphs are those of a plain reimplementation of
/// the documented rules on the lossily decoded text; strict mode refuses
/// exactly the inputs that are not UTF-8.
pub fn read_text(data: &[u8]) {
    let Some((opts, body)) = options_byte(data) else {
        return;
    };
    let split = [Split::Auto, Split::Lines, Split::Blank, Split::None][usize::from(opts & 3)];
    let options = ReadOptions::default()
        .with_format(Format::Text)
        .with_split(split)
        .with_strict(opts & 4 != 0);
    let got = read_twice(body, &options);
    if let Ok(corpus) = &got {
        for d in &corpus.documents {
            assert_eq!(d.id, format!("{NAME}#{}", d.position));
            assert!(!d.text.is_empty(), "an empty paragraph");
            assert_eq!(d.text, d.text.trim(), "an untrimmed paragraph");
            assert!(d.fields.is_empty());
        }
    }
    check_decoding(body, &options, &got);
    if let Some(bytes) = plain_bytes(body) {
        // A strict read equals the lossy one or refuses a warned-about
        // problem (check_decoding); the reference is the lossy read's.
        let got = if options.strict {
            Corpus::from_reader(body, NAME, &options.clone().with_strict(false))
                .map_err(|e| e.to_string())
        } else {
            got
        };
        let expected = reference_paragraphs(&lossy_text(bytes), split);
        match &got {
            Ok(corpus) => {
                let found: Vec<(usize, String)> = corpus
                    .documents
                    .iter()
                    .map(|d| (d.line, d.text.clone()))
                    .collect();
                assert_eq!(
                    found, expected,
                    "paragraphs differ from the documented rules"
                );
            }
            Err(message) => {
                assert!(
                    expected.is_empty(),
                    "refused ({message}) but has {expected:?}"
                );
                assert!(message.contains("no documents in fuzz"), "{message}");
            }
        }
    }
}

/// What a JSON Lines record should give, by the documented rules: `Ok((text,
/// id))` or the error for its line.
fn reference_record(
    line: &str,
    lineno: usize,
    text_field: &str,
    id_field: &str,
) -> Result<(String, String), ()> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|_| ())?;
    let object = value.as_object().ok_or(())?;
    let text = object.get(text_field).and_then(|v| v.as_str()).ok_or(())?;
    let id = match object.get(id_field) {
        None | Some(serde_json::Value::Null) => lineno.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(_) => return Err(()),
    };
    Ok((text.to_string(), id))
}

/// JSON Lines. Options byte: bit 0 strict decoding, bit 1 the text field
/// (`text` or `body`), bit 2 the id field (`id` or one no input has).
///
/// Checks: as for plain text, plus: the documents are exactly those of a
/// line-by-line `serde_json` reading of the documented rules (so the reader's
/// fast whole-chunk parse agrees with the exact one), and an error names the
/// line of the first bad record.
pub fn read_jsonl(data: &[u8]) {
    let Some((opts, body)) = options_byte(data) else {
        return;
    };
    let options = record_options(opts, Format::Jsonl);
    let (text_field, id_field) = (options.text_field.as_str(), options.id_field.as_str());
    let got = read_twice(body, &options);
    if let Ok(corpus) = &got {
        for d in &corpus.documents {
            assert!(
                !d.fields.contains_key(text_field),
                "the text field is kept twice"
            );
            if id_field == ABSENT_FIELD {
                assert_eq!(
                    d.id,
                    d.line.to_string(),
                    "an id without its field is the line"
                );
            }
        }
    }
    check_decoding(body, &options, &got);
    let Some(bytes) = plain_bytes(body) else {
        return;
    };
    // As for plain text: compare the lossy read with the reference.
    let got = if options.strict {
        Corpus::from_reader(body, NAME, &options.clone().with_strict(false))
            .map_err(|e| e.to_string())
    } else {
        got
    };
    let text = lossy_text(bytes);
    let mut expected = Vec::new();
    let mut first_error = None;
    for (i, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match reference_record(line, i + 1, text_field, id_field) {
            Ok((text, id)) => expected.push((i + 1, text, id)),
            Err(()) => {
                first_error = Some(i + 1);
                break;
            }
        }
    }
    match (&got, first_error) {
        (Ok(corpus), None) => {
            let found: Vec<(usize, String, String)> = corpus
                .documents
                .iter()
                .map(|d| (d.line, d.text.clone(), d.id.clone()))
                .collect();
            assert_eq!(
                found, expected,
                "records differ from a line-by-line reading"
            );
        }
        (Ok(_), Some(line)) => panic!("line {line} is not a valid record, but was read"),
        (Err(message), None) => {
            assert!(
                expected.is_empty(),
                "refused ({message}) but has {expected:?}"
            );
            assert!(message.contains("no documents in fuzz"), "{message}");
        }
        (Err(message), Some(line)) => {
            assert!(
                message.contains(&format!("line {line}:")),
                "the error should name line {line}: {message}"
            );
        }
    }
}

/// CSV. Options byte: bit 0 strict decoding, bit 1 the text column (`text`
/// or `body`), bit 2 the id column (`id` or one no input has).
///
/// Checks: as for plain text, plus: without an id column the id is the
/// record's line; with one, an id is never empty; documents carry every
/// other column as a string (a header may repeat a name, so the text column's
/// name can be among them), all records the same number.
pub fn read_csv(data: &[u8]) {
    let Some((opts, body)) = options_byte(data) else {
        return;
    };
    let options = record_options(opts, Format::Csv);
    let id_field = options.id_field.as_str();
    let got = read_twice(body, &options);
    if let Ok(corpus) = &got {
        let width = corpus.documents[0].fields.len();
        for d in &corpus.documents {
            assert!(!d.id.is_empty(), "an empty id");
            if id_field == ABSENT_FIELD {
                assert_eq!(
                    d.id,
                    d.line.to_string(),
                    "an id without its column is the line"
                );
            }
            assert!(
                d.fields.values().all(|v| v.is_string()),
                "a field that is not a string"
            );
            assert_eq!(d.fields.len(), width, "records of one file differ in width");
        }
    }
    check_decoding(body, &options, &got);
}

/// The analyzer configurations fuzzed, picked by the options byte.
fn analysis_params(opts: u8) -> TfidfParams {
    let base = TfidfVectorizer::params();
    match opts % 12 {
        0 => base,
        1 => base.stop_words(Some(StopWordList::English)),
        2 => base.stem(Some(Language::English)),
        3 => base
            .stop_words(Some(StopWordList::English))
            .stem(Some(Language::English))
            .ngram_range(1, 3),
        4 => base.ngram_range(2, 3),
        5 => base.lowercase(false),
        6 => base.token_pattern(r"(?u)\b\w+\b"),
        7 => base.token_pattern(r"([a-z]+)\d*"),
        8 => base.strip_accents(Some(StripAccents::Unicode)),
        9 => base
            .strip_accents(Some(StripAccents::Ascii))
            .stem(Some(Language::French)),
        10 => base.analyzer(AnalyzerKind::Char).ngram_range(1, 3),
        _ => base.analyzer(AnalyzerKind::CharWb).ngram_range(2, 4),
    }
    .binary(opts & 0x10 != 0)
    .sublinear_tf(opts & 0x20 != 0)
}

/// The analyzer: tokenizing, stop words, stemming, n-grams, and the
/// vectorizer's cached counting of the same features. Options byte: the
/// configuration (see `analysis_params`), `binary` and `sublinear_tf`. The
/// text (decoded lossily) is split into up to 8 documents at `\n`.
///
/// Checks: the default scanner tokenizes ASCII text as the general regex path
/// does with the same pattern; word n-grams are exactly the joined runs of
/// the unigrams; default-pattern tokens have at least two characters and no
/// white space; the vectorizer's raw counts are the counts of
/// `Analyzer::analyze`; TF-IDF rows have L2 norm 1 or 0 and no NaN;
/// `fit_transform` equals `fit` then `transform`; the vocabulary is sorted.
pub fn analyze(data: &[u8]) {
    let Some((opts, body)) = options_byte(data) else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    let params = analysis_params(opts);
    let analyzer = params
        .get_analysis()
        .build()
        .expect("the fuzzed configurations are valid");
    let features = analyzer.analyze(&text);
    let analysis = params.get_analysis();
    let word = analysis.get_analyzer() == AnalyzerKind::Word;
    let default_pattern = word && !matches!(opts % 12, 6 | 7);

    if default_pattern {
        // The scanner against the regex crate, on text where Python's `\w`
        // and the regex crate's agree (ASCII).
        if text.is_ascii() {
            let regex_params = params.clone().token_pattern(r"(?u)\b\w{2,}\b");
            let by_regex = regex_params.get_analysis().build().unwrap().analyze(&text);
            assert_eq!(features, by_regex, "the scanner and the regex disagree");
        }
    }
    if word {
        let (min_n, max_n) = analysis.get_ngram_range();
        let unigrams = analysis
            .clone()
            .ngram_range(1, 1)
            .build()
            .unwrap()
            .analyze(&text);
        if default_pattern {
            for u in &unigrams {
                assert!(u.chars().count() >= 1, "an empty token");
                assert!(
                    !u.chars().any(char::is_whitespace),
                    "a token with white space: {u:?}"
                );
            }
        }
        let mut expected = Vec::new();
        for n in min_n..=max_n {
            for run in unigrams.windows(n) {
                expected.push(run.join(" "));
            }
        }
        assert_eq!(
            features, expected,
            "n-grams do not follow from the unigrams"
        );
    } else {
        let (min_n, max_n) = analysis.get_ngram_range();
        for f in &features {
            let n = f.chars().count();
            assert!((min_n..=max_n).contains(&n), "a {n}-char feature {f:?}");
        }
    }

    let docs: Vec<&str> = text.split('\n').take(8).collect();
    let analyzed: Vec<Vec<String>> = docs.iter().map(|d| analyzer.analyze(d)).collect();
    let any_feature = analyzed.iter().any(|f| !f.is_empty());

    // Raw counts: the vectorizer's counting against the reference analyzer.
    let counting = params.clone().norm(None).use_idf(false).sublinear_tf(false);
    match counting.fit_transform(&docs) {
        Ok((_, counts)) => {
            let vocabulary = counts.vocabulary().clone();
            let terms = vocabulary.terms();
            assert!(
                terms.windows(2).all(|p| p[0] < p[1]),
                "an unsorted vocabulary"
            );
            let matrix = counts.matrix();
            for (row, features) in analyzed.iter().enumerate() {
                let mut expected: HashMap<&str, f64> = HashMap::new();
                for f in features {
                    *expected.entry(f.as_str()).or_default() += 1.0;
                }
                if params.get_binary() {
                    expected.values_mut().for_each(|v| *v = 1.0);
                }
                let got: HashMap<&str, f64> = matrix
                    .outer_view(row)
                    .unwrap()
                    .iter()
                    .map(|(col, &v)| (terms[col].as_str(), v))
                    .collect();
                assert_eq!(
                    got, expected,
                    "counts of document {row} differ from the analyzer"
                );
            }
        }
        Err(e) => assert!(!any_feature, "fit failed ({e}) on documents with features"),
    }

    // TF-IDF rows: unit L2 norm or all zero, no NaN; fit_transform is fit
    // then transform.
    match params.fit_transform(&docs) {
        Ok((model, tfidf)) => {
            for row in tfidf.matrix().outer_iterator() {
                let mut sum = 0.0f64;
                for (_, &v) in row.iter() {
                    assert!(v.is_finite() && v >= 0.0, "a weight {v}");
                    sum += v * v;
                }
                assert!(
                    sum == 0.0 || (sum.sqrt() - 1.0).abs() < 1e-9,
                    "a row of norm {}",
                    sum.sqrt()
                );
            }
            assert_eq!(
                params.fit(&docs).unwrap().transform(&docs),
                tfidf,
                "fit differs from fit_transform's model"
            );
            assert_eq!(
                model.transform(&docs),
                tfidf,
                "fit_transform differs from fit then transform"
            );
        }
        Err(e) => assert!(!any_feature, "fit failed ({e}) on documents with features"),
    }
}

/// The model loader, `TfidfVectorizer::load_from_str`, on any text.
///
/// Checks: a clean error naming the file, or a model whose lengths agree,
/// whose idf is finite and positive, which transforms texts (its own terms,
/// the input itself) into finite rows normalised as its `norm` says, and
/// which survives `save_to` then loading again with equal output.
pub fn load_model(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let origin = Path::new("fuzz.json");
    let model = match TfidfVectorizer::load_from_str(text, origin) {
        Ok(model) => model,
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("fuzz.json"), "{message}");
            assert!(message.len() > "fuzz.json: ".len(), "{message}");
            return;
        }
    };
    let n_terms = model.vocabulary().len();
    assert_eq!(model.document_frequency().len(), n_terms);
    if let Some(idf) = model.idf() {
        assert_eq!(idf.len(), n_terms);
        assert!(idf.iter().all(|v| v.is_finite() && *v > 0.0), "idf {idf:?}");
    }
    let terms = model.vocabulary().terms();
    let docs = vec![
        String::new(),
        terms.iter().take(64).cloned().collect::<Vec<_>>().join(" "),
        terms
            .iter()
            .rev()
            .take(16)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        text.chars().take(4096).collect(),
    ];
    let out = model.transform(&docs);
    assert_eq!(out.shape(), (docs.len(), n_terms));
    for row in out.matrix().outer_iterator() {
        let values: Vec<f64> = row.iter().map(|(_, &v)| v).collect();
        assert!(values.iter().all(|v| v.is_finite()), "{values:?}");
        let norm = match model.get_params().get_norm() {
            Some(Norm::L2) => values.iter().map(|v| v * v).sum::<f64>().sqrt(),
            Some(Norm::L1) => values.iter().map(|v| v.abs()).sum::<f64>(),
            None => continue,
        };
        assert!(
            norm == 0.0 || (norm - 1.0).abs() < 1e-9,
            "a row of norm {norm}"
        );
    }
    let mut saved = Vec::new();
    model.save_to(&mut saved).expect("writing to memory");
    let saved = String::from_utf8(saved).expect("a saved model is UTF-8");
    let again = TfidfVectorizer::load_from_str(&saved, origin)
        .unwrap_or_else(|e| panic!("a saved model does not load again: {e}\n{saved}"));
    assert_eq!(again.get_params(), model.get_params());
    assert_eq!(again.vocabulary().terms(), terms);
    assert_eq!(again.document_frequency(), model.document_frequency());
    assert_eq!(
        again.transform(&docs),
        out,
        "the reloaded model transforms differently"
    );
}
