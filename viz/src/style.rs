//! The house style every chart shares: line widths readable at 1200 px, a minimum text size,
//! numbers formatted as people write them, and one colour per arm fixed by the arm's place in
//! the comparison (the baseline first), so an arm looks the same in every chart.

use plotters::style::RGBColor;

use crate::figure::PALETTE;
use crate::i18n::Lang;

/// Width of a data line at the chart's native size (pixels): 2-3 px on a 1200 px chart reads
/// as a line, not a band.
pub const LINE: u32 = 3;

/// Minor grid lines between the labelled ticks: none. Grid lines at the labelled values are
/// enough to read a value off; the minor ones add ink without information, and about a hundred
/// SVG elements to each chart the dashboard redraws on every change.
pub const MINOR_GRID_LINES: usize = 0;

/// Smallest text at the chart's native size (pixels).
pub const MIN_TEXT: u32 = 12;

/// Colour of the arm at `index` in the comparison's arm order, the baseline being 0.
pub fn arm_colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// An axis number: thousands separated, millions and billions shortened (k is avoided: "450k"
/// reads as a unit on some axes), at most two decimals, no trailing ".0".
pub fn axis_number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    let trim = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if a >= 1e9 {
        return format!("{} bn", trim(format!("{:.2}", v / 1e9)));
    }
    if a >= 1e6 {
        return format!("{} M", trim(format!("{:.2}", v / 1e6)));
    }
    if a >= 1e3 {
        return grouped(v, 1.0);
    }
    let decimals = if a >= 100.0 {
        0
    } else if a >= 1.0 {
        1
    } else {
        2
    };
    trim(format!("{v:.decimals$}"))
}

/// `x` rounded to a multiple of `step` and written with thousands separators.
fn grouped(x: f64, step: f64) -> String {
    let digits = format!("{:.0}", (x.abs() / step).round() * step);
    let mut out = String::from(if x < 0.0 { "-" } else { "" });
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number in a sentence or a table: three significant figures, thousands separated (whole
/// numbers below 10,000), millions and billions named.
pub fn readable(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let a = x.abs();
    if a >= 1e9 {
        return format!("{:.2} billion", x / 1e9);
    }
    if a >= 1e6 {
        return format!("{:.2} million", x / 1e6);
    }
    if a >= 1e3 {
        let step = if a < 1e4 {
            1.0
        } else {
            10f64.powi(a.log10().floor() as i32 - 2)
        };
        return grouped(x, step);
    }
    let decimals = if a == 0.0 {
        0
    } else {
        (2 - a.log10().floor() as i32).clamp(0, 6)
    };
    format!("{x:.*}", decimals as usize)
}

/// [`readable`] as `lang` writes it: its separators, and millions and billions in its words.
pub fn readable_in(x: f64, lang: Lang) -> String {
    let english = readable(x);
    let words = |s: &str| match (lang, x.abs() >= 2e6 && x.abs() < 1e9 || x.abs() >= 2e9) {
        (Lang::En, _) => s.to_string(),
        (Lang::Fr, plural) => s
            .replace(" billion", if plural { " milliards" } else { " milliard" })
            .replace(" million", if plural { " millions" } else { " million" }),
        (Lang::Es, _) => s
            .replace(" billion", " mil millones")
            .replace(" million", " millones"),
    };
    lang.number(&words(&english))
}

/// [`axis_number`] as `lang` writes it.
pub fn axis_number_in(v: f64, lang: Lang) -> String {
    let english = axis_number(v);
    let english = match lang {
        Lang::En => english,
        Lang::Fr => english.replace(" bn", " Md"),
        Lang::Es => english.replace(" bn", " mil M"),
    };
    lang.number(&english)
}

#[cfg(test)]
mod tests {
    use super::{axis_number, axis_number_in, readable, readable_in};
    use crate::i18n::Lang;

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        assert_eq!(readable_in(52_750.0, Lang::Fr), "52\u{202f}800");
        assert_eq!(readable_in(2_640_000.0, Lang::Fr), "2,64 millions");
        assert_eq!(readable_in(2_640_000.0, Lang::Es), "2,64 millones");
        assert_eq!(readable_in(12.345, Lang::Es), "12,3");
        assert_eq!(readable_in(2_640_000.0, Lang::En), "2.64 million");
        assert_eq!(axis_number_in(3e9, Lang::Fr), "3 Md");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(readable(52_750.0), "52,800");
        assert_eq!(readable(-52_750.0), "-52,800");
        assert_eq!(readable(2_640_000.0), "2.64 million");
        assert_eq!(readable(12.345), "12.3");
        assert_eq!(readable(0.0123), "0.0123");
        assert_eq!(readable(450_000.0), "450,000");
        assert_eq!(readable(1905.0), "1,905");
        assert_eq!(readable(2873.4), "2,873");
        assert_eq!(readable(f64::NAN), "-");
    }

    #[test]
    fn axis_numbers_are_written_as_people_write_them() {
        assert_eq!(axis_number(450_000.0), "450,000");
        assert_eq!(axis_number(8_869_750.0), "8.87 M");
        assert_eq!(axis_number(10_000_000.0), "10 M");
        assert_eq!(axis_number(0.0), "0");
        assert_eq!(axis_number(12.0), "12");
        assert_eq!(axis_number(12.5), "12.5");
        assert_eq!(axis_number(0.25), "0.25");
        assert_eq!(axis_number(-1500.0), "-1,500");
        assert_eq!(axis_number(2.5e9), "2.5 bn");
    }
}
