//! The house style every chart shares: line widths readable at 1200 px, a minimum text size,
//! numbers formatted as people write them, and one colour per arm fixed by the arm's place in
//! the comparison (the baseline first), so an arm looks the same in every chart.

use plotters::style::RGBColor;

use crate::figure::PALETTE;

/// Width of a data line at the chart's native size (pixels): 2-3 px on a 1200 px chart reads
/// as a line, not a band.
pub const LINE: u32 = 3;

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
        let digits = format!("{:.0}", a);
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        return format!("{}{grouped}", if v < 0.0 { "-" } else { "" });
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

#[cfg(test)]
mod tests {
    use super::axis_number;

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
