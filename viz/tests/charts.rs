//! Every chart builds from a small fixture; its SVG carries the title, axis labels and series
//! names; its PNG decodes at the expected size and is not blank. The report holds every chart
//! and the scorecard and makes no external request. Bad tables give errors naming file and column.
//! The house style holds: no text under 12 px at native size, no legend over the data of a
//! trajectory, and an arm has the same colour in every chart (checked by drawing each chart on a
//! backend that records what is drawn).

use std::path::{Path, PathBuf};

use viz::charts::displacement::Displacement;
use viz::charts::forest::{CostPerHomicide, Effect, Forest};
use viz::charts::funnel::Funnel;
use viz::charts::occupancy::OccupancyMap;
use viz::charts::pyramid::Pyramid;
use viz::charts::tornado::Tornado;
use viz::charts::trajectory::{Overview, Trajectory};
use viz::data::Band;
use viz::figure::{Chart, HEIGHT, WIDTH, render};

const SOURCE: &str = "Source: cjsim test fixture, scenario fixture, seed 1";

/// A colour as red, green, blue.
type Rgb = (u8, u8, u8);
/// A stroke: colour, width and the points it passes through.
type Stroke = (Rgb, u32, Vec<(i32, i32)>);
/// A filled rectangle: corners, colour and opacity.
type FilledBox = ((i32, i32), (i32, i32), Rgb, f64);

/// What a chart drew: texts with their sizes, strokes and fills with their colours, and the
/// rectangles filled (the legend's box among them).
#[derive(Default)]
struct Drawn {
    texts: Vec<(String, f64)>,
    strokes: Vec<Stroke>,
    fills: Vec<Rgb>,
    boxes: Vec<FilledBox>,
    circles: Vec<(i32, i32)>,
}

/// A drawing backend that records instead of drawing (shared, to read it after drawing).
struct Recorder(std::rc::Rc<std::cell::RefCell<Drawn>>);

impl plotters_backend::DrawingBackend for Recorder {
    type ErrorType = std::io::Error;

    fn get_size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn ensure_prepared(
        &mut self,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        _: (i32, i32),
        _: plotters_backend::BackendColor,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        Ok(())
    }

    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: (i32, i32),
        to: (i32, i32),
        style: &S,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        let c = style.color().rgb;
        self.0
            .borrow_mut()
            .strokes
            .push((c, style.stroke_width(), vec![from, to]));
        Ok(())
    }

    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = (i32, i32)>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        let c = style.color().rgb;
        self.0
            .borrow_mut()
            .strokes
            .push((c, style.stroke_width(), path.into_iter().collect()));
        Ok(())
    }

    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: (i32, i32),
        bottom_right: (i32, i32),
        style: &S,
        fill: bool,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        let c = style.color();
        if fill {
            let mut d = self.0.borrow_mut();
            d.fills.push(c.rgb);
            d.boxes.push((upper_left, bottom_right, c.rgb, c.alpha));
        }
        Ok(())
    }

    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: (i32, i32),
        _: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        let mut d = self.0.borrow_mut();
        if fill {
            d.fills.push(style.color().rgb);
        }
        d.circles.push(center);
        Ok(())
    }

    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = (i32, i32)>>(
        &mut self,
        _: I,
        style: &S,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        self.0.borrow_mut().fills.push(style.color().rgb);
        Ok(())
    }

    fn draw_text<T: plotters_backend::BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        _: (i32, i32),
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        self.0
            .borrow_mut()
            .texts
            .push((text.to_string(), style.size()));
        Ok(())
    }
}

/// Draws `chart` on the recording backend.
fn drawn(chart: &impl Chart) -> Drawn {
    use plotters::prelude::IntoDrawingArea;
    viz::figure::register_fonts();
    let record = std::rc::Rc::new(std::cell::RefCell::new(Drawn::default()));
    {
        let area = Recorder(std::rc::Rc::clone(&record)).into_drawing_area();
        area.fill(&plotters::style::WHITE).unwrap();
        chart.draw(&area).unwrap();
        area.present().unwrap();
    }
    std::rc::Rc::try_unwrap(record)
        .ok()
        .expect("the drawing area is dropped")
        .into_inner()
}

/// The house minimum: no text under 12 px at the chart's native size.
fn assert_readable(chart: &impl Chart) {
    let d = drawn(chart);
    assert!(!d.texts.is_empty(), "{}: no text drawn", chart.name());
    for (text, size) in &d.texts {
        assert!(
            *size >= f64::from(viz::style::MIN_TEXT),
            "{}: {text:?} at {size} px",
            chart.name()
        );
    }
}

/// Checks the SVG text and the PNG pixels of a rendered chart, and its text sizes.
fn check(chart: &impl Chart, texts: &[&str]) {
    assert_readable(chart);
    let f = render(chart).unwrap();
    for t in texts.iter().chain(&[SOURCE]) {
        assert!(f.svg.contains(t), "{}: SVG lacks {t:?}", f.name);
    }
    let decoder = png::Decoder::new(std::io::Cursor::new(&f.png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (WIDTH, HEIGHT), "{}", f.name);
    let px = &buf[..info.buffer_size()];
    let mean = px.iter().map(|&v| f64::from(v)).sum::<f64>() / px.len() as f64;
    let var = px
        .iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / px.len() as f64;
    assert!(
        var > 200.0,
        "{}: PNG looks blank (variance {var:.1})",
        f.name
    );
    // Text was drawn in the PNG too: dark pixels in the title strip (embedded font).
    let dark_in_title = (0..60usize)
        .flat_map(|y| (0..WIDTH as usize).map(move |x| (y, x)))
        .filter(|(y, x)| px[(y * WIDTH as usize + x) * 3] < 100)
        .count();
    assert!(
        dark_in_title > 200,
        "{}: no title text in the PNG ({dark_in_title} dark pixels)",
        f.name
    );
}

fn band(base: f64, slope: f64) -> Band {
    let years: Vec<i32> = (2025..=2050).collect();
    let q = years
        .iter()
        .map(|y| {
            let m = base + slope * f64::from(y - 2025);
            [m * 0.8, m * 0.9, m, m * 1.1, m * 1.2]
        })
        .collect();
    let n = vec![10; years.len()];
    Band { years, q, n }
}

fn trajectory() -> Trajectory {
    Trajectory {
        indicator: "homicide_rate_per_100k".into(),
        title: "Homicide rate (SDG 16.1.1)".into(),
        unit: "Victims per 100,000".into(),
        arms: vec![
            ("baseline".into(), band(12.0, -0.1)),
            ("prevention".into(), band(12.0, -0.25)),
        ],
        target: Some((2030, 7.0)),
        published: vec![(2025, 12.5, true), (2028, 11.0, false)],
        source: SOURCE.into(),
        lang: viz::Lang::En,
    }
}

#[test]
fn trajectory_chart() {
    check(
        &trajectory(),
        &[
            "Homicide rate (SDG 16.1.1)",
            "Year",
            "Victims per 100,000",
            "baseline",
            "prevention",
            "target 2030",
            "published, held out",
            "published, used to set inputs",
        ],
    );
}

#[test]
fn overview_chart() {
    let mut other = trajectory();
    other.title = "Prison occupancy".into();
    check(
        &Overview {
            title: "SDG 16 at a glance: fixture".into(),
            panels: vec![trajectory(), other],
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "SDG 16 at a glance: fixture",
            "Homicide rate (SDG 16.1.1)",
            "Prison occupancy",
        ],
    );
}

/// Two arms' effects: the justice arm's detected, the prevention arm's not.
fn two_effects() -> Vec<Effect> {
    vec![
        Effect {
            arm: "justice".into(),
            indicator: "Unsentenced prisoners".into(),
            median: -12.0,
            interval: (-20.0, -4.0),
        },
        Effect {
            arm: "prevention".into(),
            indicator: "Homicide rate".into(),
            median: -8.0,
            interval: (-15.0, 1.0),
        },
    ]
}

#[test]
fn forest_and_cost_charts() {
    let rows = two_effects();
    check(
        &Forest {
            year: 2030,
            rows,
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "Effect of each arm in 2030",
            "Difference from baseline (%)",
            "justice: Unsentenced prisoners",
            "prevention: Homicide rate",
        ],
    );
    check(
        &CostPerHomicide {
            year: 2030,
            arms: vec![
                ("justice".into(), f64::NAN, (f64::NAN, f64::NAN)),
                ("prevention".into(), 2.5e6, (2.1e6, 2.9e6)),
            ],
            net: true,
            unit: "GBP, 2017 prices".into(),
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "Net cost per homicide averted",
            // The axis names the currency and price year of the scenario's costs.
            "(GBP, 2017 prices, discounted)",
            "prevention",
            "justice: not estimable",
            "2.5 M",
        ],
    );
}

#[test]
fn pyramid_chart() {
    let groups: Vec<String> = (0..18)
        .map(|g| format!("{}-{}", g * 5, g * 5 + 4))
        .collect();
    let men: Vec<f64> = (0..18)
        .map(|g| {
            if (3..12).contains(&g) {
                100.0 - 8.0 * g as f64
            } else {
                1.0
            }
        })
        .collect();
    let women: Vec<f64> = men.iter().map(|m| m / 10.0).collect();
    check(
        &Pyramid {
            groups,
            years: vec![(2025, men.clone(), women.clone()), (2050, men, women)],
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "Prisoners by age and sex, 2025 and 2050",
            "Prisoners (men left, women right)",
            "Age",
            "2025",
            "2050",
            "20-24",
        ],
    );
}

#[test]
fn occupancy_heat_map() {
    let years: Vec<i32> = (2025..=2050).collect();
    let values = (0..3)
        .map(|r| {
            years
                .iter()
                .map(|y| 100.0 + 10.0 * r as f64 + f64::from(y - 2025))
                .collect()
        })
        .collect();
    check(
        &OccupancyMap {
            regions: vec!["capital".into(), "delta".into(), "coast".into()],
            years,
            values,
            events: vec![(1, 2030)],
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "Prison occupancy by region",
            "Year",
            "capital",
            "delta",
            "occupancy",
        ],
    );
}

#[test]
fn displacement_chart() {
    let time: Vec<f64> = (0..312)
        .map(|m| 2025.0 + (f64::from(m) + 0.5) / 12.0)
        .collect();
    let newly: Vec<f64> = (0..312)
        .map(|m| if m % 17 == 0 { 5000.0 } else { 100.0 })
        .collect();
    let stock: Vec<f64> = (0..312)
        .map(|m| 2000.0 + 30.0 * f64::from(m % 24))
        .collect();
    check(
        &Displacement {
            time,
            newly,
            stock,
            events: vec![(2026.5, "flood".into())],
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "Climate displacement",
            "Year",
            "People",
            "newly displaced (month)",
            "displaced stock",
            "hazard event",
        ],
    );
}

#[test]
fn funnel_chart() {
    let steps = [
        ("Offences", 1e6),
        ("Recorded by police", 4e5),
        ("Cleared", 1e5),
        ("Charged", 6e4),
        ("Convicted", 3e4),
        ("Sent to prison", 1e4),
    ]
    .map(|(s, n)| (s.to_string(), n))
    .to_vec();
    check(
        &Funnel {
            year: 2025,
            steps,
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "Justice funnel, 2025",
            "Offences: 1000000",
            "Sent to prison: 10000 (1.0% of offences)",
        ],
    );
}

#[test]
fn tornado_chart() {
    let factors = vec![
        (
            "justice.court_capacity_multiplier".into(),
            0.6,
            Some((0.5, 0.7)),
        ),
        ("crime.deterrence_elasticity".into(), 0.1, None),
    ];
    check(
        &Tornado {
            subject: "unsentenced_share_pct in 2030".into(),
            index: "Sobol total-order index".into(),
            factors,
            source: SOURCE.into(),
            lang: viz::Lang::En,
            noisy: false,
        },
        &[
            "Sensitivity of unsentenced_share_pct in 2030",
            "Sobol total-order index",
            "justice.court_capacity_multiplier",
        ],
    );
}

/// A small result folder as `cjsim compare` writes it.
fn fixture(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("viz-fixture-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let w = |f: &str, t: String| std::fs::write(dir.join(f), t).unwrap();
    w("run.json", r#"{"cjsim_version":"0.1.0","command":"compare","scenario":{"name":"fixture","origin":"builtin:fixture","sha256":"ab","overrides":[]},"seed":1,"agents":1000,"scale":10.0,"start_year":2025,"years":3,"threads":2,"replications":2,"arms":[{"name":"aid","interventions":["legal_aid"]}],"parameters":{"x":1},"sources":{"crime":"cited"},"resolved_scenario":"[scenario]\nname = \"fixture\"\n","alignment_warnings":[]}"#.into());
    let mut q = String::from("arm,year,indicator,q05,q25,q50,q75,q95\n");
    for arm in ["baseline", "aid"] {
        for y in 2025..=2027 {
            for ind in [
                "homicide_rate_per_100k",
                "unsentenced_share_pct",
                "prison_occupancy_pct",
            ] {
                q.push_str(&format!("{arm},{y},{ind},8,9,10,11,12\n"));
            }
        }
    }
    w("indicators_quantiles.csv", q);
    w("scorecard.json", r#"[{"arm":"baseline","indicator":"prison_occupancy_pct","year":2027,"target":"prison_occupancy_pct <= 100 by 2027","description":"No overcrowding","threshold":100.0,"direction":"down","median":10.0,"q05":8.0,"q95":12.0,"status":"on track","probability":1.0,"replications":2}]"#.into());
    let mut c = String::from(
        "arm,indicator,year,replications,baseline_mean,arm_mean,effect_mean,effect_ci90_low,\
         effect_ci90_high,effect_detected,single_run_difference_q05,single_run_difference_q95,\
         intervention_cost,justice_cost_change,homicides_averted,homicides_averted_ci90_low,\
         homicides_averted_ci90_high,victimisations_averted,victimisations_averted_ci90_low,\
         victimisations_averted_ci90_high,cost_per_homicide_averted,cost_per_victimisation_averted\n",
    );
    for ind in ["homicide_rate_per_100k", "unsentenced_share_pct"] {
        c.push_str(&format!(
            "aid,{ind},2027,5,10,9,-1,-1.5,-0.5,yes,-2,0,1000,-50,2,1,3,10,5,15,500,100\n"
        ));
    }
    w("comparison.csv", c);
    let mut a = String::from("year,sex,age_group,prisoners\n");
    for y in [2025, 2027] {
        for s in ["male", "female"] {
            for g in ["15-19", "20-24", "25-29"] {
                a.push_str(&format!("{y},{s},{g},50\n"));
            }
        }
    }
    w("prison_ages.csv", a);
    let mut b = String::from("year,indicator,dimension,group,value\n");
    for y in 2025..=2027 {
        for r in ["north", "south"] {
            b.push_str(&format!("{y},prison_occupancy_pct,region,{r},120\n"));
        }
    }
    w("by_group.csv", b);
    w("events.csv", "year,month,region,hazard,severity,affected,displaced,court_damage_pct,prison_damage_pct\n2026,3,north,flood,0.2,100,20,10,5\n".into());
    let mut t = String::from(
        "year,month,offences_homicide,offences_property,recorded,clearances,charges,convictions,custodial_sentences,newly_displaced,displaced_stock\n",
    );
    for m in 1..=36 {
        t.push_str(&format!(
            "{},{},1,100,40,10,6,3,1,{},{}\n",
            2025 + (m - 1) / 12,
            (m - 1) % 12 + 1,
            m % 5,
            10 + m
        ));
    }
    w("timeseries.csv", t);
    dir
}

#[test]
fn the_report_holds_every_chart_and_the_scorecard_and_no_url() {
    let dir = fixture("report");
    let built = viz::build(&loaded(&dir)).unwrap();
    let names: Vec<&str> = built.figures.iter().map(|f| f.name.as_str()).collect();
    for expected in [
        "overview",
        "trajectory_homicide_rate_per_100k",
        "comparison_2027",
        "cost_per_homicide_averted_2027",
        "prison_pyramid",
        "occupancy_by_region",
        "displacement",
        "justice_funnel_2025",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for f in &built.figures {
        assert!(
            built.html.contains(&format!("<figure id=\"{}\">", f.name)),
            "{}",
            f.name
        );
    }
    assert!(built.html.contains("id=\"scorecard\""));
    assert!(built.html.contains("No overcrowding"));
    assert!(!built.html.contains("http://") && !built.html.contains("https://"));
    assert!(
        !built.html.contains("<script"),
        "the report needs no script"
    );
}

/// The results of a fixture folder.
fn loaded(dir: &Path) -> viz::Results {
    viz::Results::load(dir).unwrap()
}

fn error_of(dir: &Path) -> String {
    match viz::build(&loaded(dir)) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn missing_and_malformed_tables_are_named() {
    let dir = fixture("bad");
    std::fs::remove_file(dir.join("indicators_quantiles.csv")).unwrap();
    let e = error_of(&dir);
    assert!(
        e.ends_with("indicators_quantiles.csv: missing (it is written by `cjsim run or compare`)"),
        "{e}"
    );

    let dir = fixture("bad-column");
    let q = std::fs::read_to_string(dir.join("indicators_quantiles.csv")).unwrap();
    std::fs::write(
        dir.join("indicators_quantiles.csv"),
        q.replacen("q50", "median", 1),
    )
    .unwrap();
    let e = error_of(&dir);
    assert!(
        e.ends_with("indicators_quantiles.csv: no column 'q50' in the header"),
        "{e}"
    );

    let dir = fixture("bad-number");
    let c = std::fs::read_to_string(dir.join("comparison.csv")).unwrap();
    std::fs::write(
        dir.join("comparison.csv"),
        c.replacen(",-1,", ",minus one,", 1),
    )
    .unwrap();
    let e = error_of(&dir);
    assert!(
        e.ends_with("comparison.csv:2: column 'effect_mean' = \"minus one\": not a number"),
        "{e}"
    );
}

/// Published figures (`observed.csv`) are tabled beside the simulated median of their year,
/// with the difference, the role and the source; a year the run did not simulate says so.
#[test]
fn published_figures_are_compared_in_the_report() {
    let dir = fixture("published");
    std::fs::write(
        dir.join("observed.csv"),
        "indicator,year,value,role,source\n\
         homicide_rate_per_100k,2026,8,out-of-sample,\"Statistics office, table 3\"\n\
         homicide_rate_per_100k,2040,5,in-sample,Survey\n",
    )
    .unwrap();
    let built = viz::build(&loaded(&dir)).unwrap();
    let start = built
        .html
        .find("id=\"published\"")
        .expect("the comparison table");
    let table = &built.html[start..start + built.html[start..].find("</table>").unwrap()];
    // The fixture's median is 10 in every year: 10 against 8 published is +25%.
    assert!(
        table.contains("<td>2026</td><td>8.00</td><td>10.0</td>"),
        "{table}"
    );
    assert!(table.contains("+25%"), "{table}");
    assert!(table.contains("out-of-sample") && table.contains("Statistics office, table 3"));
    assert!(
        table.contains("not simulated"),
        "2040 is outside the run: {table}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// No legend over the data: in a trajectory whose lines fill the upper right, the legend's box
/// holds none of the lines' points or markers.
#[test]
fn the_trajectory_legend_leaves_the_data_visible() {
    let mut t = trajectory();
    // Rising lines: the data fills the upper right, where legends usually go.
    t.arms = vec![
        ("baseline".into(), band(5.0, 0.3)),
        ("prevention".into(), band(5.0, 0.25)),
    ];
    t.target = Some((2050, 12.0));
    let d = drawn(&t);
    let legend: Vec<_> = d
        .boxes
        .iter()
        .filter(|(_, _, rgb, alpha)| *rgb == (255, 255, 255) && *alpha < 1.0)
        .collect();
    assert_eq!(legend.len(), 1, "one legend box");
    let ((x0, y0), (x1, y1), _, _) = *legend[0];
    let inside = |(x, y): &(i32, i32)| (x0..=x1).contains(x) && (y0..=y1).contains(y);
    // The medians are the long paths (a legend's sample line has two points).
    let under = d
        .strokes
        .iter()
        .filter(|(_, w, pts)| *w == viz::style::LINE && pts.len() > 2)
        .flat_map(|(_, _, pts)| pts.iter())
        .filter(|p| inside(p))
        .count();
    assert_eq!(under, 0, "median points under the legend");
    assert!(
        !d.circles.iter().any(|c| inside(c) && c.0 > x0 + 40),
        "a marker under the legend"
    );
}

/// One colour per arm, fixed by its place in the comparison (the baseline first): the same
/// arm has the same colour in the trajectories, the forest plot and the cost chart.
#[test]
fn an_arm_has_one_colour_in_every_chart() {
    use viz::style::arm_colour;
    let rgb = |i: usize| {
        let c = arm_colour(i);
        (c.0, c.1, c.2)
    };
    let mut t = trajectory();
    t.arms = vec![
        ("baseline".into(), band(12.0, -0.1)),
        ("justice".into(), band(12.0, -0.2)),
        ("prevention".into(), band(12.0, -0.25)),
    ];
    let lines = drawn(&t);
    let line_colours: Vec<_> = lines
        .strokes
        .iter()
        .filter(|(_, w, pts)| *w == viz::style::LINE && pts.len() > 2)
        .map(|s| s.0)
        .collect();
    assert_eq!(
        line_colours,
        vec![rgb(0), rgb(1), rgb(2)],
        "trajectory medians"
    );
    let forest = drawn(&Forest {
        year: 2030,
        rows: two_effects(),
        source: SOURCE.into(),
        lang: viz::Lang::En,
    });
    let costs = drawn(&CostPerHomicide {
        year: 2030,
        arms: vec![
            ("justice".into(), 1.0e6, (0.8e6, 1.2e6)),
            ("prevention".into(), 2.5e6, (2.1e6, 2.9e6)),
        ],
        net: true,
        unit: "USD, 2024 prices".into(),
        source: SOURCE.into(),
        lang: viz::Lang::En,
    });
    for (name, d) in [("forest", &forest), ("cost", &costs)] {
        assert!(d.fills.contains(&rgb(1)), "{name}: justice's colour");
        assert!(d.fills.contains(&rgb(2)), "{name}: prevention's colour");
        assert!(
            !d.fills.contains(&rgb(0)),
            "{name}: the baseline's colour on an arm"
        );
    }
}

#[test]
fn disaggregation_chart() {
    use viz::charts::disaggregation::Disaggregation;
    let panel = |d: &str, groups: &[(&str, f64)]| {
        (
            d.to_string(),
            groups.iter().map(|(g, v)| (g.to_string(), *v)).collect(),
        )
    };
    check(
        &Disaggregation {
            indicator: "violence_prevalence_pct".into(),
            title: "Victims of violence (SDG 16.1.3)".into(),
            unit: "% in the past year".into(),
            year: 2030,
            panels: vec![
                panel("sex", &[("male", 4.1), ("female", 5.2)]),
                panel("age_group", &[("15-17", 6.0), ("18-24", 7.5), ("65+", 1.2)]),
                panel("region", &[("north", 4.0), ("south", 5.5)]),
                panel(
                    "displacement",
                    &[("displaced", 9.1), ("not displaced", 4.5)],
                ),
            ],
            source: SOURCE.into(),
            lang: viz::Lang::En,
        },
        &[
            "Victims of violence (SDG 16.1.3) by group, 2030",
            "By sex",
            "By age group",
            "Displaced or not",
            "not displaced",
            "9.1",
        ],
    );
}

/// For a screen the charts are drawn as SVG only: the same SVG, no PNG.
#[test]
fn a_screen_build_draws_svg_only() {
    let dir = fixture("screen");
    let results = loaded(&dir);
    let full = viz::build(&results).unwrap();
    let screen = viz::build_for_screen(&results, viz::Lang::En).unwrap();
    assert_eq!(full.figures.len(), screen.figures.len());
    for (a, b) in full.figures.iter().zip(&screen.figures) {
        assert_eq!(a.svg, b.svg, "{}", a.name);
        assert!(!a.png.is_empty() && b.png.is_empty(), "{}", a.name);
    }
    assert!(
        !viz::build(&results).unwrap().figures[0].png.is_empty(),
        "PNG again after"
    );
    // The dashboard draws only the charts it shows, each as the report draws it.
    let dashboard = viz::dashboard_figures(&results, viz::Lang::En).unwrap();
    assert!(dashboard.len() < full.figures.len());
    for f in &dashboard {
        let same = full.figures.iter().find(|g| g.name == f.name).unwrap();
        assert_eq!(same.svg, f.svg, "{}", f.name);
        assert!(f.png.is_empty(), "{}", f.name);
    }
    let shown = |name: &str| {
        ["trajectory_", "comparison_", "cost_per_homicide_averted_"]
            .iter()
            .any(|p| name.starts_with(p))
            || name == "prison_pyramid"
    };
    for f in full.figures.iter().filter(|f| shown(&f.name)) {
        assert!(
            dashboard.iter().any(|g| g.name == f.name),
            "{} is on the dashboard",
            f.name
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The report in French and in Spanish: headings, table heads, sentences and the charts' axes
/// in the language, numbers with its decimal comma, and none of the English headings left.
#[test]
fn the_report_speaks_french_and_spanish() {
    let dir = fixture("lang");
    let results = loaded(&dir);
    let fr = viz::build_in(&results, viz::Lang::Fr).unwrap().html;
    for expected in [
        "<html lang=\"fr\">",
        ">Résumé</h2>",
        ">Tableau de bord des cibles</h2>",
        ">Graphiques</h2>",
        "Effet d'ici 2027",
        "Homicides évités",
        "fait baisser l'indicateur «\u{a0}Taux d'homicides (ODD 16.1.1)\u{a0}»",
        "en bonne voie",
        "L'ODD 16 en un coup d'œil",
        "Détenus par âge et sexe, 2025 et 2027",
        "1\u{202f}000 (1 agent = 10,0 personnes)",
        "100\u{a0}%",
    ] {
        assert!(fr.contains(expected), "French report lacks {expected:?}");
    }
    for english in [
        ">Summary<",
        ">Scorecard<",
        ">Charts<",
        "Effect by",
        "Homicides averted",
        "on track",
        "at a glance",
    ] {
        assert!(
            !fr.contains(english),
            "French report still says {english:?}"
        );
    }
    // -1.5 in comparison.csv, written with a decimal comma (the data attribute keeps the cell).
    assert!(
        fr.contains("data-value=\"-1.5\">-1,50</span>"),
        "decimal comma"
    );
    let es = viz::build_in(&results, viz::Lang::Es).unwrap().html;
    for expected in [
        "<html lang=\"es\">",
        ">Resumen</h2>",
        "Homicidios evitados",
        "El ODS 16 de un vistazo",
    ] {
        assert!(es.contains(expected), "Spanish report lacks {expected:?}");
    }
    let en = viz::build(&results).unwrap().html;
    assert!(en.contains(">Summary</h2>") && en.contains("<html lang=\"en\">"));
}
