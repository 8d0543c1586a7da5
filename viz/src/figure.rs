//! Rendering one chart to SVG and PNG with the same drawing code, the embedded font, the
//! colour-blind-safe palette and sizes readable on a projector.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::register_font;

use crate::data::VizError;

/// Width of a chart (pixels).
pub const WIDTH: u32 = 1200;
/// Height of a chart (pixels).
pub const HEIGHT: u32 = 750;
/// Font family every chart uses (DejaVu Sans, embedded).
pub const FONT: &str = "sans-serif";
/// Title size.
pub const TITLE: u32 = 34;
/// Axis and label size.
pub const LABEL: u32 = 22;
/// Small text (source line, tick labels).
pub const SMALL: u32 = 18;

/// The Okabe-Ito palette, safe for the common forms of colour blindness.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// Colour of series `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

static FONTS: Once = Once::new();

/// Registers the embedded DejaVu Sans for every style plotters asks for (no system fonts).
pub fn register_fonts() {
    FONTS.call_once(|| {
        for style in [
            FontStyle::Normal,
            FontStyle::Bold,
            FontStyle::Italic,
            FontStyle::Oblique,
        ] {
            let bytes = match style {
                FontStyle::Bold => dejavu::sans::bold(),
                FontStyle::Italic | FontStyle::Oblique => dejavu::sans::oblique(),
                FontStyle::Normal => dejavu::sans::regular(),
            };
            // The embedded DejaVu Sans is a valid font; if it ever were not, text would be
            // missing and the tests that look for it would fail.
            let _ = register_font(FONT, style, bytes);
        }
    });
}

/// A rendered chart.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File stem (`trajectory_homicide_rate_per_100k`).
    pub name: String,
    /// Title.
    pub title: String,
    /// SVG text.
    pub svg: String,
    /// PNG bytes.
    pub png: Vec<u8>,
    /// A warning the report prints with the chart (e.g. that what it shows is mostly noise).
    pub note: Option<String>,
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File stem.
    fn name(&self) -> String;
    /// Title.
    fn title(&self) -> String;
    /// Draws on `area`.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Maps a plotters error to text.
pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

thread_local! {
    /// Whether charts are drawn for a screen only (SVG, no PNG): see [`svg_only`].
    static SVG_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with charts drawn as SVG only (their `png` left empty): a page shows SVG, and the
/// bitmap and its encoding cost about a third of a report's drawing time.
pub fn svg_only<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SVG_ONLY.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(SVG_ONLY.with(|s| s.replace(true)));
    f()
}

/// Draws `chart` to SVG and PNG (SVG only inside [`svg_only`]).
pub fn render(chart: &impl Chart) -> Result<Figure, VizError> {
    register_fonts();
    let fail = |reason: String| VizError::Drawing {
        chart: chart.name(),
        reason,
    };
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        area.fill(&WHITE).map_err(|e| fail(err(e)))?;
        chart.draw(&area).map_err(fail)?;
        area.present().map_err(|e| fail(err(e)))?;
    }
    if SVG_ONLY.with(std::cell::Cell::get) {
        return Ok(Figure {
            name: chart.name(),
            title: chart.title(),
            svg,
            png: Vec::new(),
            note: None,
        });
    }
    let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        area.fill(&WHITE).map_err(|e| fail(err(e)))?;
        chart.draw(&area).map_err(fail)?;
        area.present().map_err(|e| fail(err(e)))?;
    }
    let png = encode_png(&rgb, WIDTH, HEIGHT).map_err(fail)?;
    Ok(Figure {
        name: chart.name(),
        title: chart.title(),
        svg,
        png,
        note: None,
    })
}

/// PNG-encodes an RGB buffer.
pub fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(rgb).map_err(err)?;
    }
    Ok(out)
}

/// Splits the area into the plot and a strip at the bottom with the source line.
pub fn with_source<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    source: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    let (plot, foot) = area.split_vertically(HEIGHT as i32 - 36);
    foot.draw_text(
        source,
        &TextStyle::from((FONT, SMALL).into_font()).color(&RGBColor(80, 80, 80)),
        (16, 8),
    )
    .map_err(err)?;
    Ok(plot)
}

/// Lower and upper bounds with 5% padding, robust to NaN and flat data.
pub fn range(values: impl Iterator<Item = f64>, include_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        (hi.abs() * 0.05).max(1.0)
    };
    (lo - pad, hi + pad)
}

/// Cartesian coordinates of the charts drawn here.
pub type Plane<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A chart with one horizontal row per label (top to bottom, row `i` at y = n - 1 - i) over the
/// x range `lo..hi`: the layout shared by the forest and tornado charts.
pub fn labelled_rows<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    title: &str,
    x_desc: &str,
    labels: &[String],
    (lo, hi): (f64, f64),
    label_width: u32,
) -> Result<Plane<'a, DB>, String> {
    let n = labels.len().max(1);
    let mut chart = ChartBuilder::on(plot)
        .caption(title, (FONT, TITLE))
        .margin(16)
        .x_label_area_size(60)
        .y_label_area_size(label_width)
        .build_cartesian_2d(lo..hi, -0.5..n as f64 - 0.5)
        .map_err(err)?;
    chart
        .configure_mesh()
        .max_light_lines(crate::style::MINOR_GRID_LINES)
        .x_desc(x_desc)
        .y_labels(n)
        .y_label_formatter(&|v| row_label(labels, *v, true))
        .label_style((FONT, SMALL))
        .axis_desc_style((FONT, LABEL))
        .disable_y_mesh()
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// The label of a category axis at tick `v`: `labels[i]` at whole ticks `i` (counted from the
/// top when `top_first`, from the bottom otherwise), nothing between them.
pub fn row_label(labels: &[String], v: f64, top_first: bool) -> String {
    let i = v.round();
    if (v - i).abs() >= 1e-6 || i < 0.0 || i as usize >= labels.len() {
        return String::new();
    }
    let i = i as usize;
    labels[if top_first { labels.len() - 1 - i } else { i }].clone()
}

/// Draws the chart's legend in the house style: small type on a translucent white box with a
/// light border, at `position`.
pub fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    font_size: u32,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .label_font((FONT, font_size))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .position(position)
        .draw()
        .map_err(err)
}
