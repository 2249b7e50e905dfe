//! Pictures for the demo catalogue, drawn for the project: a still life per product (a bottle,
//! a jar, a tin, a book, a folded cloth…) on a wall and a table, in colours that follow the
//! product's name, rendered with tiny-skia and stored as a JPEG as an upload would be (the
//! original and its thumbnail). The same product always gets the same picture. No file is
//! shipped, so nothing needs a licence beside the code's own.

use std::f32::consts::PI;

use tiny_skia::{
    Color, FillRule, GradientStop, LineCap, LinearGradient, Paint, Path, PathBuilder, Pixmap,
    Point, RadialGradient, Rect, Shader, SpreadMode, Stroke, Transform,
};

/// The side of a picture in pixels (square; the thumbnail is half of it).
pub const SIDE: u32 = 960;
/// Drawing happens on a 100 × 100 plane; the picture shows its part from (`LEFT`, `TOP`),
/// `VIEW` wide, so objects fill the frame.
const LEFT: f32 = 10.0;
const TOP: f32 = 8.0;
const VIEW: f32 = 80.0;
const SCALE: f32 = SIDE as f32 / VIEW;
/// Where the table's top meets the wall, and where objects stand.
const TABLE: f32 = 64.0;
const BASE: f32 = 84.0;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    fn color(self, alpha: f32) -> Color {
        Color::from_rgba8(
            self.0,
            self.1,
            self.2,
            (alpha.clamp(0.0, 1.0) * 255.0) as u8,
        )
    }

    /// Darker below 1, mixed towards white above 1.
    fn shade(self, f: f32) -> Rgb {
        let ch = |c: u8| -> u8 {
            let c = f32::from(c);
            let v = if f <= 1.0 {
                c * f
            } else {
                c + (255.0 - c) * (f - 1.0).min(1.0)
            };
            v.round().clamp(0.0, 255.0) as u8
        };
        Rgb(ch(self.0), ch(self.1), ch(self.2))
    }
}

const WHITE: Rgb = Rgb(255, 255, 255);
const BLACK: Rgb = Rgb(0, 0, 0);
const CREAM: Rgb = Rgb(244, 236, 218);
const GOLD: Rgb = Rgb(196, 160, 72);
const BEECH: Rgb = Rgb(214, 176, 128);

#[derive(Debug, Clone, Copy)]
enum BottleShape {
    /// Straight sides and high shoulders (Bordeaux, Rhône).
    Bordeaux,
    /// Long sloping shoulders (Burgundy, Loire).
    Burgundy,
    /// Champagne and crémant: wide, foil down the neck.
    Sparkling,
    /// Oil, vinegar, cider: short neck, screw cap.
    Round,
    /// Spirits: a flat flask with a stopper.
    Flask,
}

#[derive(Debug, Clone, Copy)]
enum Subject {
    Bottle {
        shape: BottleShape,
        glass: Rgb,
        label: Rgb,
        cap: Rgb,
    },
    Jar {
        content: Rgb,
        lid: Rgb,
        squat: bool,
    },
    Tin {
        body: Rgb,
        band: Rgb,
        small: bool,
    },
    Sardines,
    Bag {
        body: Rgb,
        band: Rgb,
    },
    Book {
        cover: Rgb,
        band: Rgb,
    },
    Magazine {
        cover: Rgb,
        band: Rgb,
    },
    Plate,
    Bowl {
        glaze: Rgb,
    },
    Pot {
        body: Rgb,
        teapot: bool,
    },
    Glasses,
    Carafe,
    Cloth {
        colours: [Rgb; 3],
        stripes: bool,
    },
    Apron {
        body: Rgb,
    },
    Board,
    Knife,
    Soap,
    Candle,
    Basket,
    Diffuser,
    HotWater,
    Brush,
}

/// A stable number from a name, to vary colours among products of one kind.
fn hash(name: &str) -> u32 {
    name.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    })
}

/// Colours that read as one product among its neighbours.
fn pick(name: &str, palette: &[Rgb]) -> Rgb {
    palette[(hash(name) >> 11) as usize % palette.len()]
}

/// What to draw for a demo product: by department, then by the words of its name.
fn subject(department: usize, name: &str) -> Subject {
    let n = name.to_lowercase();
    let has = |w: &str| n.contains(w);
    let covers = [
        Rgb(46, 74, 98),
        Rgb(128, 46, 40),
        Rgb(62, 94, 64),
        Rgb(176, 120, 40),
        Rgb(88, 60, 100),
        Rgb(30, 96, 110),
    ];
    let bands = [CREAM, GOLD, Rgb(232, 200, 160), Rgb(250, 246, 236)];
    match department {
        5 => {
            return Subject::Book {
                cover: pick(name, &covers),
                band: pick(&n, &bands),
            }
        }
        6 => {
            return Subject::Magazine {
                cover: pick(name, &covers),
                band: pick(&n, &[Rgb(200, 40, 40), Rgb(30, 30, 30), GOLD]),
            }
        }
        _ => {}
    }
    let bottle = |shape, glass, label, cap| Subject::Bottle {
        shape,
        glass,
        label,
        cap,
    };
    let wine_red = Rgb(40, 62, 40);
    let white_wine = Rgb(150, 168, 92);
    if has("huile") {
        bottle(BottleShape::Round, Rgb(150, 150, 40), CREAM, GOLD)
    } else if has("vinaigre") {
        bottle(BottleShape::Round, Rgb(96, 30, 34), CREAM, Rgb(40, 40, 40))
    } else if has("rouge") || has("bordeaux") {
        bottle(BottleShape::Bordeaux, wine_red, CREAM, Rgb(120, 24, 40))
    } else if has("chablis") || has("muscadet") || has("sancerre") {
        bottle(
            BottleShape::Burgundy,
            white_wine,
            CREAM,
            pick(name, &[GOLD, Rgb(60, 90, 60)]),
        )
    } else if has("rosé") {
        bottle(
            BottleShape::Sparkling,
            Rgb(220, 130, 130),
            CREAM,
            Rgb(200, 60, 90),
        )
    } else if has("champagne") {
        bottle(
            BottleShape::Sparkling,
            Rgb(26, 48, 30),
            Rgb(30, 30, 30),
            GOLD,
        )
    } else if has("cidre") {
        bottle(
            BottleShape::Round,
            Rgb(196, 120, 30),
            CREAM,
            Rgb(40, 90, 40),
        )
    } else if has("calvados") {
        bottle(BottleShape::Flask, Rgb(170, 90, 30), CREAM, BEECH)
    } else if has("pastis") {
        bottle(
            BottleShape::Flask,
            Rgb(220, 184, 60),
            Rgb(30, 60, 120),
            BEECH,
        )
    } else if has("théière") {
        Subject::Pot {
            body: Rgb(40, 50, 60),
            teapot: true,
        }
    } else if has("cocotte") {
        Subject::Pot {
            body: Rgb(200, 70, 40),
            teapot: false,
        }
    } else if has("bol") {
        Subject::Bowl {
            glaze: Rgb(70, 110, 150),
        }
    } else if has("assiette") {
        Subject::Plate
    } else if has("carafe") {
        Subject::Carafe
    } else if has("verres") {
        Subject::Glasses
    } else if has("couteau") {
        Subject::Knife
    } else if has("planche") {
        Subject::Board
    } else if has("tablier") {
        Subject::Apron {
            body: Rgb(60, 80, 110),
        }
    } else if has("nappe") || has("serviettes") || has("housse") || has("plaid") {
        let linen = [Rgb(236, 230, 218), Rgb(200, 212, 200), Rgb(176, 190, 204)];
        let wool = [Rgb(150, 60, 50), Rgb(200, 170, 120), Rgb(90, 100, 80)];
        Subject::Cloth {
            colours: if has("plaid") { wool } else { linen },
            stripes: false,
        }
    } else if has("torchons") {
        Subject::Cloth {
            colours: [CREAM, Rgb(240, 240, 236), Rgb(230, 226, 214)],
            stripes: true,
        }
    } else if has("savon") {
        Subject::Soap
    } else if has("bougie") {
        Subject::Candle
    } else if has("brosse") {
        Subject::Brush
    } else if has("panier") {
        Subject::Basket
    } else if has("diffuseur") {
        Subject::Diffuser
    } else if has("bouillotte") {
        Subject::HotWater
    } else if has("sardines") {
        Subject::Sardines
    } else if has("café") {
        Subject::Bag {
            body: pick(name, &[Rgb(120, 86, 60), Rgb(40, 40, 44)]),
            band: pick(&n, &[GOLD, Rgb(200, 80, 50)]),
        }
    } else if has("sel") {
        Subject::Bag {
            body: Rgb(246, 244, 238),
            band: Rgb(40, 80, 140),
        }
    } else if has("moutarde") {
        jar(Rgb(190, 150, 40), Rgb(30, 30, 30), false)
    } else if has("confiture") {
        jar(Rgb(96, 30, 60), Rgb(190, 40, 40), false)
    } else if has("miel") {
        jar(Rgb(224, 168, 40), GOLD, false)
    } else if has("rillettes") {
        jar(Rgb(200, 160, 120), Rgb(220, 110, 40), true)
    } else if has("caramel") {
        jar(Rgb(150, 80, 30), Rgb(40, 40, 40), true)
    } else if has("piment") {
        jar(Rgb(180, 40, 30), Rgb(250, 250, 250), true)
    } else if has("matcha") {
        tin(Rgb(110, 150, 60), Rgb(30, 30, 30), true)
    } else if has("chocolat") {
        tin(Rgb(90, 50, 30), Rgb(230, 200, 150), false)
    } else if has("chicorée") {
        tin(Rgb(230, 190, 40), Rgb(30, 50, 120), false)
    } else if has("thé") || has("rooibos") || has("infusion") || has("earl") {
        let body = pick(
            name,
            &[
                Rgb(60, 110, 70),
                Rgb(30, 30, 34),
                Rgb(160, 50, 40),
                Rgb(40, 70, 120),
                Rgb(140, 170, 70),
            ],
        );
        tin(body, GOLD, false)
    } else {
        tin(pick(name, &covers), CREAM, false)
    }
}

fn jar(content: Rgb, lid: Rgb, squat: bool) -> Subject {
    Subject::Jar {
        content,
        lid,
        squat,
    }
}

fn tin(body: Rgb, band: Rgb, small: bool) -> Subject {
    Subject::Tin { body, band, small }
}

/// The wall and table of a department, from light to deep.
fn room(department: usize) -> (Rgb, Rgb) {
    match department {
        0 => (Rgb(238, 226, 204), Rgb(170, 124, 84)),
        1 => (Rgb(220, 230, 212), Rgb(150, 118, 92)),
        2 => (Rgb(232, 218, 208), Rgb(116, 80, 58)),
        3 => (Rgb(218, 227, 234), Rgb(232, 228, 222)),
        4 => (Rgb(236, 226, 212), Rgb(196, 168, 138)),
        5 => (Rgb(228, 222, 198), Rgb(138, 102, 72)),
        _ => (Rgb(240, 220, 210), Rgb(186, 146, 116)),
    }
}

struct Canvas {
    pix: Pixmap,
}

fn scaled(path: Option<Path>) -> Option<Path> {
    path?.transform(Transform::from_row(
        SCALE,
        0.0,
        0.0,
        SCALE,
        -LEFT * SCALE,
        -TOP * SCALE,
    ))
}

fn pt(x: f32, y: f32) -> Point {
    Point::from_xy((x - LEFT) * SCALE, (y - TOP) * SCALE)
}

fn rrect(x: f32, y: f32, w: f32, h: f32, r: f32) -> Option<Path> {
    let r = r.min(w / 2.0).min(h / 2.0);
    let mut b = PathBuilder::new();
    b.move_to(x + r, y);
    b.line_to(x + w - r, y);
    b.quad_to(x + w, y, x + w, y + r);
    b.line_to(x + w, y + h - r);
    b.quad_to(x + w, y + h, x + w - r, y + h);
    b.line_to(x + r, y + h);
    b.quad_to(x, y + h, x, y + h - r);
    b.line_to(x, y + r);
    b.quad_to(x, y, x + r, y);
    b.close();
    b.finish()
}

fn oval(cx: f32, cy: f32, rx: f32, ry: f32) -> Option<Path> {
    PathBuilder::from_oval(Rect::from_xywh(cx - rx, cy - ry, rx * 2.0, ry * 2.0)?)
}

fn polygon(points: &[(f32, f32)]) -> Option<Path> {
    let mut b = PathBuilder::new();
    let (first, rest) = points.split_first()?;
    b.move_to(first.0, first.1);
    for p in rest {
        b.line_to(p.0, p.1);
    }
    b.close();
    b.finish()
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            pix: Pixmap::new(SIDE, SIDE).expect("a picture of a fixed, valid size"),
        }
    }

    fn paint(&mut self, path: Option<Path>, shader: Option<Shader<'static>>) {
        let (Some(path), Some(shader)) = (scaled(path), shader) else {
            return;
        };
        let paint = Paint {
            shader,
            anti_alias: true,
            ..Paint::default()
        };
        self.pix.fill_path(
            &path,
            &paint,
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }

    fn solid(&mut self, path: Option<Path>, c: Rgb, alpha: f32) {
        self.paint(path, Some(Shader::SolidColor(c.color(alpha))));
    }

    fn line(&mut self, points: &[(f32, f32)], c: Rgb, alpha: f32, width: f32) {
        let mut b = PathBuilder::new();
        if let Some((first, rest)) = points.split_first() {
            b.move_to(first.0, first.1);
            for p in rest {
                b.line_to(p.0, p.1);
            }
        }
        self.stroke(b.finish(), c, alpha, width);
    }

    fn stroke(&mut self, path: Option<Path>, c: Rgb, alpha: f32, width: f32) {
        let Some(path) = scaled(path) else {
            return;
        };
        let paint = Paint {
            shader: Shader::SolidColor(c.color(alpha)),
            anti_alias: true,
            ..Paint::default()
        };
        let stroke = Stroke {
            width: width * SCALE,
            line_cap: LineCap::Round,
            ..Stroke::default()
        };
        self.pix
            .stroke_path(&path, &paint, &stroke, Transform::identity(), None);
    }

    /// A round body lit from the left: dark edges, a highlight a third of the way across.
    fn cylinder(&mut self, path: Option<Path>, x0: f32, x1: f32, c: Rgb) {
        let stops = vec![
            GradientStop::new(0.0, c.shade(0.62).color(1.0)),
            GradientStop::new(0.2, c.color(1.0)),
            GradientStop::new(0.33, c.shade(1.28).color(1.0)),
            GradientStop::new(0.5, c.color(1.0)),
            GradientStop::new(0.85, c.shade(0.74).color(1.0)),
            GradientStop::new(1.0, c.shade(0.56).color(1.0)),
        ];
        let shader = LinearGradient::new(
            pt(x0, 0.0),
            pt(x1, 0.0),
            stops,
            SpreadMode::Pad,
            Transform::identity(),
        );
        self.paint(path, shader);
    }

    fn vertical(&mut self, path: Option<Path>, y0: f32, y1: f32, top: Rgb, bottom: Rgb) {
        let stops = vec![
            GradientStop::new(0.0, top.color(1.0)),
            GradientStop::new(1.0, bottom.color(1.0)),
        ];
        let shader = LinearGradient::new(
            pt(0.0, y0),
            pt(0.0, y1),
            stops,
            SpreadMode::Pad,
            Transform::identity(),
        );
        self.paint(path, shader);
    }

    /// A soft glow (light on the wall, a flame's halo).
    fn glow(&mut self, cx: f32, cy: f32, r: f32, c: Rgb, alpha: f32) {
        let stops = vec![
            GradientStop::new(0.0, c.color(alpha)),
            GradientStop::new(1.0, c.color(0.0)),
        ];
        let shader = RadialGradient::new(
            pt(cx, cy),
            0.0,
            pt(cx, cy),
            r * SCALE,
            stops,
            SpreadMode::Pad,
            Transform::identity(),
        );
        self.paint(oval(cx, cy, r, r), shader);
    }

    fn shadow(&mut self, cx: f32, y: f32, rx: f32) {
        self.solid(oval(cx + 1.5, y, rx, rx * 0.14 + 1.0), BLACK, 0.16);
        self.solid(oval(cx + 0.8, y, rx * 0.8, rx * 0.08 + 0.6), BLACK, 0.14);
    }

    fn highlight(&mut self, x: f32, y: f32, h: f32) {
        self.solid(rrect(x, y, 1.4, h, 0.7), WHITE, 0.28);
    }

    fn room(&mut self, wall: Rgb, table: Rgb, light: f32) {
        self.vertical(
            rrect(0.0, 0.0, 100.0, TABLE, 0.0),
            0.0,
            TABLE,
            wall.shade(1.08),
            wall.shade(0.94),
        );
        self.glow(30.0 + light * 40.0, 30.0, 55.0, WHITE, 0.35);
        self.vertical(
            rrect(0.0, TABLE, 100.0, 100.0 - TABLE, 0.0),
            TABLE,
            100.0,
            table.shade(1.06),
            table.shade(0.82),
        );
        self.solid(rrect(0.0, TABLE, 100.0, 0.5, 0.0), WHITE, 0.25);
    }

    fn label(&mut self, x: f32, y: f32, w: f32, h: f32, paper: Rgb, ink: Rgb) {
        self.cylinder(rrect(x, y, w, h, 0.6), x, x + w, paper);
        self.solid(rrect(x, y + h * 0.22, w, h * 0.12, 0.0), ink, 0.85);
        self.solid(
            oval(x + w / 2.0, y + h * 0.62, w * 0.14, h * 0.16),
            ink,
            0.7,
        );
        self.solid(
            rrect(x + w * 0.2, y + h * 0.84, w * 0.6, 0.8, 0.4),
            ink,
            0.5,
        );
    }

    fn bottle(&mut self, shape: BottleShape, glass: Rgb, label: Rgb, cap: Rgb) {
        let (x0, x1, shoulder, neck_top, neck_w) = match shape {
            BottleShape::Bordeaux => (40.0, 60.0, 40.0, 12.0, 7.0),
            BottleShape::Burgundy => (38.5, 61.5, 50.0, 12.0, 7.0),
            BottleShape::Sparkling => (38.0, 62.0, 48.0, 10.0, 8.0),
            BottleShape::Round => (40.5, 59.5, 44.0, 22.0, 6.5),
            BottleShape::Flask => (35.0, 65.0, 46.0, 30.0, 8.0),
        };
        self.shadow(50.0, BASE, (x1 - x0) * 0.6);
        let (n0, n1) = (50.0 - neck_w / 2.0, 50.0 + neck_w / 2.0);
        let mut b = PathBuilder::new();
        b.move_to(x0, BASE - 2.0);
        b.line_to(x0, shoulder);
        match shape {
            BottleShape::Bordeaux | BottleShape::Round => {
                b.cubic_to(x0, shoulder - 8.0, n0, shoulder - 6.0, n0, shoulder - 13.0)
            }
            BottleShape::Flask => b.quad_to(x0, shoulder - 10.0, n0, shoulder - 12.0),
            _ => b.cubic_to(
                x0,
                shoulder - 14.0,
                n0,
                shoulder - 16.0,
                n0,
                shoulder - 28.0,
            ),
        }
        b.line_to(n0, neck_top);
        b.line_to(n1, neck_top);
        match shape {
            BottleShape::Bordeaux | BottleShape::Round => {
                b.line_to(n1, shoulder - 13.0);
                b.cubic_to(n1, shoulder - 6.0, x1, shoulder - 8.0, x1, shoulder)
            }
            BottleShape::Flask => {
                b.line_to(n1, shoulder - 12.0);
                b.quad_to(x1, shoulder - 10.0, x1, shoulder)
            }
            _ => {
                b.line_to(n1, shoulder - 28.0);
                b.cubic_to(n1, shoulder - 16.0, x1, shoulder - 14.0, x1, shoulder)
            }
        }
        b.line_to(x1, BASE - 2.0);
        b.quad_to(x1, BASE, x1 - 2.0, BASE);
        b.line_to(x0 + 2.0, BASE);
        b.quad_to(x0, BASE, x0, BASE - 2.0);
        b.close();
        self.cylinder(b.finish(), x0, x1, glass);
        // Capsule, foil or stopper.
        match shape {
            BottleShape::Flask => {
                self.cylinder(
                    rrect(n0 - 0.5, neck_top - 6.0, neck_w + 1.0, 7.0, 1.5),
                    n0,
                    n1,
                    cap,
                );
            }
            BottleShape::Round => {
                self.cylinder(
                    rrect(n0 - 0.4, neck_top - 4.0, neck_w + 0.8, 6.0, 0.8),
                    n0,
                    n1,
                    cap,
                );
            }
            BottleShape::Sparkling => {
                self.cylinder(
                    rrect(n0 - 0.3, neck_top - 1.0, neck_w + 0.6, 22.0, 1.0),
                    n0,
                    n1,
                    cap,
                );
            }
            _ => {
                self.cylinder(
                    rrect(n0 - 0.3, neck_top - 1.0, neck_w + 0.6, 11.0, 0.6),
                    n0,
                    n1,
                    cap,
                );
            }
        }
        let (ly, lh) = match shape {
            BottleShape::Flask => (54.0, 20.0),
            BottleShape::Round => (54.0, 18.0),
            _ => (56.0, 18.0),
        };
        let ink = if label == CREAM { cap.shade(0.8) } else { GOLD };
        self.label(x0 + 1.5, ly, x1 - x0 - 3.0, lh, label, ink);
        self.highlight(x0 + 3.0, shoulder - 2.0, BASE - shoulder - 4.0);
    }

    fn jar(&mut self, content: Rgb, lid: Rgb, squat: bool) {
        let (w, h) = if squat { (34.0, 25.0) } else { (28.0, 35.0) };
        let x = 50.0 - w / 2.0;
        let top = BASE - h;
        self.shadow(50.0, BASE, w * 0.6);
        self.cylinder(rrect(x, top, w, h, 3.0), x, x + w, Rgb(226, 232, 230));
        self.cylinder(
            rrect(x + 1.0, top + 3.0, w - 2.0, h - 4.0, 2.5),
            x,
            x + w,
            content,
        );
        self.cylinder(rrect(x - 0.8, top - 5.5, w + 1.6, 6.5, 1.4), x, x + w, lid);
        self.solid(rrect(x - 0.8, top - 5.5, w + 1.6, 1.2, 0.6), WHITE, 0.25);
        self.label(
            x + 2.5,
            top + h * 0.38,
            w - 5.0,
            h * 0.42,
            CREAM,
            lid.shade(0.85),
        );
        self.highlight(x + 2.2, top + 2.0, h - 5.0);
    }

    fn tin(&mut self, body: Rgb, band: Rgb, small: bool) {
        let (w, h) = if small { (20.0, 24.0) } else { (26.0, 40.0) };
        let x = 50.0 - w / 2.0;
        let top = BASE - h;
        self.shadow(50.0, BASE, w * 0.6);
        let mut b = PathBuilder::new();
        b.move_to(x, top);
        b.line_to(x + w, top);
        b.line_to(x + w, BASE - 1.0);
        b.quad_to(50.0, BASE + 2.0, x, BASE - 1.0);
        b.close();
        self.cylinder(b.finish(), x, x + w, body);
        self.cylinder(rrect(x, top - 1.0, w, 5.0, 1.0), x, x + w, body.shade(1.15));
        self.solid(oval(50.0, top - 1.0, w / 2.0, 1.6), body.shade(1.3), 1.0);
        self.cylinder(rrect(x, top + h * 0.35, w, h * 0.3, 0.0), x, x + w, band);
        self.solid(oval(50.0, top + h * 0.5, w * 0.16, h * 0.09), body, 0.9);
        self.solid(rrect(x, top + h * 0.35, w, 0.6, 0.0), WHITE, 0.4);
        self.highlight(x + 3.0, top + 3.0, h - 5.0);
    }

    fn sardines(&mut self) {
        self.shadow(50.0, BASE, 24.0);
        let tin = Rgb(176, 184, 192);
        self.solid(
            polygon(&[(28.0, 72.0), (66.0, 72.0), (74.0, 66.0), (36.0, 66.0)]),
            tin.shade(1.2),
            1.0,
        );
        self.vertical(
            rrect(28.0, 72.0, 38.0, 12.0, 1.5),
            72.0,
            84.0,
            Rgb(30, 80, 150),
            Rgb(20, 50, 100),
        );
        self.solid(
            polygon(&[(66.0, 72.0), (74.0, 66.0), (74.0, 78.0), (66.0, 84.0)]),
            Rgb(18, 44, 90),
            1.0,
        );
        // A fish on the lid of the can.
        self.solid(oval(47.0, 78.0, 9.0, 2.6), Rgb(220, 226, 232), 1.0);
        self.solid(
            polygon(&[(55.0, 78.0), (60.0, 75.0), (60.0, 81.0)]),
            Rgb(220, 226, 232),
            1.0,
        );
        self.solid(oval(40.5, 77.5, 0.6, 0.6), BLACK, 0.8);
        self.solid(rrect(30.0, 73.5, 34.0, 1.0, 0.5), GOLD, 0.9);
    }

    fn bag(&mut self, body: Rgb, band: Rgb) {
        self.shadow(50.0, BASE, 16.0);
        self.cylinder(
            polygon(&[(37.0, BASE), (63.0, BASE), (60.5, 34.0), (39.5, 34.0)]),
            37.0,
            63.0,
            body,
        );
        self.cylinder(
            rrect(39.0, 26.0, 22.0, 9.0, 0.6),
            39.0,
            61.0,
            body.shade(0.9),
        );
        for i in 0..6 {
            let x = 40.5 + i as f32 * 3.8;
            self.line(&[(x, 27.0), (x, 33.5)], BLACK, 0.12, 0.4);
        }
        self.label(42.0, 46.0, 16.0, 20.0, band.shade(1.1), body.shade(0.7));
    }

    fn book(&mut self, cover: Rgb, band: Rgb) {
        self.shadow(50.0, BASE, 20.0);
        self.solid(rrect(64.0, 31.0, 3.5, 52.5, 0.5), CREAM, 1.0);
        for i in 0..8 {
            let y = 34.0 + i as f32 * 6.5;
            self.line(&[(64.5, y), (67.0, y)], BLACK, 0.08, 0.3);
        }
        self.vertical(
            rrect(34.0, 30.0, 31.0, 54.0, 0.8),
            30.0,
            84.0,
            cover.shade(1.1),
            cover.shade(0.85),
        );
        self.cylinder(
            rrect(31.5, 30.0, 4.0, 54.0, 0.8),
            31.5,
            35.5,
            cover.shade(0.8),
        );
        self.solid(rrect(36.5, 38.0, 26.0, 11.0, 0.4), band, 0.95);
        self.solid(rrect(40.0, 41.5, 19.0, 1.2, 0.6), cover, 0.8);
        self.solid(rrect(42.0, 45.0, 15.0, 0.9, 0.45), cover, 0.6);
        // An ornament: a sprig.
        self.line(&[(49.5, 74.0), (49.5, 58.0)], band, 0.9, 0.6);
        for i in 0..4 {
            let y = 60.0 + i as f32 * 3.5;
            self.solid(oval(47.5, y, 2.0, 0.9), band, 0.9);
            self.solid(oval(51.5, y + 1.2, 2.0, 0.9), band, 0.9);
        }
        self.solid(rrect(40.0, 78.0, 19.0, 0.9, 0.45), band, 0.7);
    }

    fn magazine(&mut self, cover: Rgb, band: Rgb) {
        self.shadow(50.0, BASE, 22.0);
        self.solid(rrect(30.5, 22.5, 40.0, 62.0, 0.4), BLACK, 0.12);
        self.vertical(
            rrect(30.0, 22.0, 40.0, 62.0, 0.4),
            22.0,
            84.0,
            CREAM,
            Rgb(232, 224, 206),
        );
        self.solid(rrect(30.0, 22.0, 40.0, 11.0, 0.4), band, 1.0);
        self.solid(rrect(33.0, 25.5, 24.0, 4.0, 0.5), WHITE, 0.9);
        // The cover picture: a dish on a coloured ground.
        self.vertical(
            rrect(33.0, 36.0, 34.0, 36.0, 0.4),
            36.0,
            72.0,
            cover.shade(1.2),
            cover,
        );
        self.solid(oval(50.0, 58.0, 12.0, 9.0), WHITE, 0.95);
        self.solid(
            oval(50.0, 57.0, 7.5, 5.5),
            pick(
                &format!("{cover:?}"),
                &[Rgb(200, 80, 50), Rgb(110, 150, 60), GOLD],
            ),
            1.0,
        );
        self.solid(rrect(33.0, 75.0, 28.0, 1.4, 0.7), BLACK, 0.55);
        self.solid(rrect(33.0, 78.5, 20.0, 1.0, 0.5), BLACK, 0.35);
    }

    fn plate(&mut self) {
        self.shadow(50.0, 80.0, 30.0);
        let glaze = Rgb(240, 238, 232);
        self.solid(oval(50.0, 76.0, 31.0, 10.5), glaze.shade(0.85), 1.0);
        self.vertical(
            oval(50.0, 75.0, 31.0, 10.0),
            65.0,
            85.0,
            glaze,
            glaze.shade(0.9),
        );
        self.stroke(oval(50.0, 75.0, 29.0, 9.2), Rgb(60, 100, 140), 0.8, 0.6);
        self.vertical(
            oval(50.0, 75.5, 20.0, 6.2),
            69.0,
            82.0,
            glaze.shade(0.92),
            glaze,
        );
    }

    fn bowl(&mut self, glaze: Rgb) {
        self.shadow(50.0, BASE, 18.0);
        let mut b = PathBuilder::new();
        b.move_to(31.0, 64.0);
        b.cubic_to(31.0, 80.0, 40.0, BASE, 50.0, BASE);
        b.cubic_to(60.0, BASE, 69.0, 80.0, 69.0, 64.0);
        b.close();
        self.cylinder(b.finish(), 31.0, 69.0, glaze);
        self.solid(oval(50.0, 64.0, 19.0, 4.2), CREAM, 1.0);
        self.solid(oval(50.0, 64.6, 16.5, 3.2), Rgb(180, 130, 90), 1.0);
        self.solid(rrect(31.0, 69.0, 38.0, 1.0, 0.5), WHITE, 0.35);
    }

    fn pot(&mut self, body: Rgb, teapot: bool) {
        if teapot {
            self.shadow(50.0, BASE, 22.0);
            let mut spout = PathBuilder::new();
            spout.move_to(62.0, 74.0);
            spout.quad_to(70.0, 72.0, 74.0, 58.0);
            spout.line_to(77.0, 58.0);
            spout.quad_to(74.0, 74.0, 64.0, 80.0);
            spout.close();
            self.cylinder(spout.finish(), 62.0, 77.0, body);
            self.stroke(oval(30.0, 69.0, 6.0, 8.0), body, 1.0, 2.4);
            self.cylinder(oval(50.0, 70.0, 17.0, 14.5), 33.0, 67.0, body);
            self.cylinder(oval(50.0, 56.5, 8.0, 3.0), 42.0, 58.0, body.shade(1.2));
            self.cylinder(oval(50.0, 53.0, 2.4, 2.4), 47.6, 52.4, body.shade(1.3));
            self.solid(rrect(36.0, 70.0, 28.0, 0.8, 0.4), GOLD, 0.7);
        } else {
            self.shadow(50.0, BASE, 24.0);
            self.cylinder(
                rrect(25.0, 62.0, 8.0, 4.0, 1.5),
                25.0,
                33.0,
                body.shade(0.85),
            );
            self.cylinder(
                rrect(67.0, 62.0, 8.0, 4.0, 1.5),
                67.0,
                75.0,
                body.shade(0.85),
            );
            self.cylinder(rrect(30.0, 58.0, 40.0, 26.0, 6.0), 30.0, 70.0, body);
            let mut lid = PathBuilder::new();
            lid.move_to(29.0, 59.0);
            lid.quad_to(50.0, 46.0, 71.0, 59.0);
            lid.close();
            self.cylinder(lid.finish(), 29.0, 71.0, body.shade(1.08));
            self.cylinder(
                rrect(46.0, 49.0, 8.0, 4.0, 1.5),
                46.0,
                54.0,
                Rgb(60, 60, 64),
            );
            self.solid(rrect(30.0, 62.0, 40.0, 0.8, 0.4), BLACK, 0.2);
        }
    }

    fn wine_glass(&mut self, cx: f32, scale: f32) {
        let s = |v: f32| v * scale;
        let top = BASE - s(34.0);
        let mut bowl = PathBuilder::new();
        bowl.move_to(cx - s(6.5), top);
        bowl.cubic_to(
            cx - s(8.0),
            top + s(10.0),
            cx - s(6.0),
            top + s(16.0),
            cx,
            top + s(17.0),
        );
        bowl.cubic_to(
            cx + s(6.0),
            top + s(16.0),
            cx + s(8.0),
            top + s(10.0),
            cx + s(6.5),
            top,
        );
        bowl.close();
        let bowl = bowl.finish();
        self.solid(bowl.clone(), WHITE, 0.22);
        self.stroke(bowl, WHITE, 0.75, 0.45);
        self.line(&[(cx, top + s(17.0)), (cx, BASE - s(1.0))], WHITE, 0.8, 0.7);
        self.solid(oval(cx, BASE - s(0.8), s(5.5), s(1.2)), WHITE, 0.5);
        self.highlight(cx - s(4.5), top + s(2.0), s(9.0));
    }

    fn glasses(&mut self) {
        self.shadow(50.0, BASE, 26.0);
        self.wine_glass(34.0, 0.9);
        self.wine_glass(66.0, 0.9);
        self.wine_glass(50.0, 1.05);
    }

    fn carafe(&mut self) {
        self.shadow(50.0, BASE, 18.0);
        let mut b = PathBuilder::new();
        b.move_to(46.0, 24.0);
        b.line_to(46.0, 40.0);
        b.cubic_to(34.0, 56.0, 32.0, 78.0, 36.0, BASE);
        b.line_to(64.0, BASE);
        b.cubic_to(68.0, 78.0, 66.0, 56.0, 54.0, 40.0);
        b.line_to(54.0, 24.0);
        b.close();
        let body = b.finish();
        let mut water = PathBuilder::new();
        water.move_to(38.5, 60.0);
        water.cubic_to(35.0, 70.0, 35.0, 80.0, 37.0, BASE - 0.8);
        water.line_to(63.0, BASE - 0.8);
        water.cubic_to(65.0, 80.0, 65.0, 70.0, 61.5, 60.0);
        water.close();
        self.solid(body.clone(), WHITE, 0.25);
        self.solid(water.finish(), Rgb(150, 190, 210), 0.45);
        self.stroke(body, WHITE, 0.8, 0.5);
        self.solid(oval(50.0, 24.0, 4.5, 1.0), WHITE, 0.6);
        self.highlight(40.0, 58.0, 20.0);
    }

    fn cloth(&mut self, colours: [Rgb; 3], stripes: bool) {
        self.shadow(50.0, BASE, 26.0);
        for i in 0..5 {
            let c = colours[i % 3];
            let y = BASE - 7.0 * (i as f32 + 1.0);
            let x = 27.0 + (i % 2) as f32 * 1.2;
            self.vertical(
                rrect(x, y, 46.0, 7.2, 2.6),
                y,
                y + 7.2,
                c.shade(1.06),
                c.shade(0.86),
            );
            self.solid(rrect(x + 1.0, y + 0.6, 44.0, 0.6, 0.3), WHITE, 0.3);
            if stripes {
                self.solid(rrect(x, y + 2.4, 46.0, 0.7, 0.0), Rgb(180, 40, 40), 0.8);
                self.solid(rrect(x, y + 4.0, 46.0, 0.4, 0.0), Rgb(180, 40, 40), 0.8);
            }
        }
    }

    fn apron(&mut self, body: Rgb) {
        self.line(
            &[(42.0, 26.0), (50.0, 12.0), (58.0, 26.0)],
            body.shade(0.8),
            1.0,
            1.2,
        );
        self.solid(oval(50.0, 12.0, 1.2, 1.2), Rgb(120, 120, 120), 1.0);
        self.line(
            &[(37.0, 44.0), (26.0, 52.0), (24.0, 62.0)],
            body.shade(0.8),
            1.0,
            1.1,
        );
        self.line(
            &[(63.0, 44.0), (74.0, 52.0), (76.0, 62.0)],
            body.shade(0.8),
            1.0,
            1.1,
        );
        let mut b = PathBuilder::new();
        b.move_to(41.0, 25.0);
        b.line_to(59.0, 25.0);
        b.line_to(60.0, 40.0);
        b.quad_to(62.0, 44.0, 66.0, 46.0);
        b.line_to(68.0, 88.0);
        b.quad_to(50.0, 90.0, 32.0, 88.0);
        b.line_to(34.0, 46.0);
        b.quad_to(38.0, 44.0, 40.0, 40.0);
        b.close();
        self.cylinder(b.finish(), 32.0, 68.0, body);
        self.cylinder(
            rrect(41.0, 58.0, 18.0, 12.0, 1.0),
            41.0,
            59.0,
            body.shade(0.92),
        );
        self.line(&[(50.0, 58.0), (50.0, 70.0)], body.shade(0.7), 1.0, 0.3);
        self.solid(rrect(34.0, 44.5, 32.0, 1.2, 0.6), body.shade(0.8), 1.0);
    }

    fn board(&mut self) {
        self.shadow(50.0, BASE, 18.0);
        let wood = Rgb(120, 78, 48);
        self.cylinder(rrect(45.0, 16.0, 10.0, 16.0, 3.0), 45.0, 55.0, wood);
        self.cylinder(rrect(35.0, 28.0, 30.0, 56.0, 6.0), 35.0, 65.0, wood);
        self.solid(oval(50.0, 21.0, 2.0, 2.0), Rgb(60, 40, 24), 1.0);
        for i in 0..6 {
            let x = 38.0 + i as f32 * 4.5;
            self.line(&[(x, 32.0), (x + 0.8, 58.0), (x, 80.0)], BLACK, 0.12, 0.35);
        }
    }

    fn knife(&mut self) {
        self.shadow(50.0, 79.0, 30.0);
        let blade = Rgb(200, 206, 212);
        self.vertical(
            polygon(&[(18.0, 77.0), (58.0, 73.5), (58.0, 78.5), (30.0, 79.0)]),
            73.0,
            79.0,
            blade.shade(1.2),
            blade.shade(0.8),
        );
        self.solid(rrect(57.0, 73.0, 3.0, 6.0, 0.6), Rgb(170, 176, 182), 1.0);
        self.vertical(
            rrect(60.0, 73.0, 24.0, 6.0, 3.0),
            73.0,
            79.0,
            Rgb(170, 140, 90),
            Rgb(110, 84, 50),
        );
        self.solid(oval(66.0, 76.0, 0.6, 0.6), GOLD, 1.0);
        self.solid(oval(78.0, 76.0, 0.6, 0.6), GOLD, 1.0);
        self.solid(oval(59.5, 72.4, 1.2, 0.8), GOLD, 1.0);
    }

    fn soap(&mut self) {
        self.shadow(52.0, BASE, 18.0);
        let soap = Rgb(150, 160, 96);
        self.solid(
            polygon(&[(36.0, 58.0), (60.0, 58.0), (68.0, 52.0), (44.0, 52.0)]),
            soap.shade(1.2),
            1.0,
        );
        self.solid(rrect(36.0, 58.0, 24.0, 26.0, 0.4), soap, 1.0);
        self.solid(
            polygon(&[(60.0, 58.0), (68.0, 52.0), (68.0, 78.0), (60.0, BASE)]),
            soap.shade(0.78),
            1.0,
        );
        self.stroke(oval(48.0, 71.0, 7.5, 7.5), soap.shade(0.7), 1.0, 0.6);
        self.solid(rrect(44.0, 70.4, 8.0, 1.2, 0.6), soap.shade(0.7), 1.0);
    }

    fn candle(&mut self) {
        self.glow(50.0, 44.0, 14.0, Rgb(255, 220, 150), 0.55);
        self.shadow(50.0, BASE, 15.0);
        self.cylinder(
            rrect(38.0, 56.0, 24.0, 28.0, 2.0),
            38.0,
            62.0,
            Rgb(100, 70, 90),
        );
        self.solid(oval(50.0, 56.0, 12.0, 2.0), Rgb(240, 230, 214), 1.0);
        self.label(41.0, 66.0, 18.0, 10.0, CREAM, Rgb(100, 70, 90));
        self.line(&[(50.0, 56.0), (50.0, 52.0)], BLACK, 0.8, 0.5);
        let mut flame = PathBuilder::new();
        flame.move_to(50.0, 42.0);
        flame.quad_to(53.0, 48.0, 50.0, 52.0);
        flame.quad_to(47.0, 48.0, 50.0, 42.0);
        flame.close();
        self.vertical(
            flame.finish(),
            42.0,
            52.0,
            Rgb(255, 240, 190),
            Rgb(240, 150, 40),
        );
    }

    fn basket(&mut self) {
        self.shadow(50.0, BASE, 22.0);
        let wicker = Rgb(196, 150, 90);
        let mut handle = PathBuilder::new();
        handle.move_to(33.0, 60.0);
        handle.cubic_to(34.0, 28.0, 66.0, 28.0, 67.0, 60.0);
        self.stroke(handle.finish(), wicker.shade(0.8), 1.0, 2.2);
        let mut b = PathBuilder::new();
        b.move_to(29.0, 58.0);
        b.line_to(71.0, 58.0);
        b.line_to(65.0, BASE - 2.0);
        b.quad_to(64.0, BASE, 61.0, BASE);
        b.line_to(39.0, BASE);
        b.quad_to(36.0, BASE, 35.0, BASE - 2.0);
        b.close();
        self.cylinder(b.finish(), 29.0, 71.0, wicker);
        for i in 0..7 {
            let y = 61.0 + i as f32 * 3.3;
            self.line(
                &[(30.0 + i as f32 * 0.8, y), (70.0 - i as f32 * 0.8, y)],
                BLACK,
                0.16,
                0.5,
            );
        }
        for i in 0..9 {
            let x = 33.0 + i as f32 * 4.2;
            self.line(
                &[(x, 58.5), (x + (50.0 - x) * 0.12, BASE - 0.5)],
                BLACK,
                0.1,
                0.4,
            );
        }
        self.cylinder(
            rrect(28.0, 56.5, 44.0, 3.0, 1.5),
            28.0,
            72.0,
            wicker.shade(0.9),
        );
    }

    fn diffuser(&mut self) {
        self.shadow(50.0, BASE, 14.0);
        for (i, tip) in [36.0_f32, 42.0, 49.0, 56.0, 63.0].iter().enumerate() {
            let y = 18.0 + (i as f32 - 2.0).abs() * 3.0;
            self.line(&[(50.0, 62.0), (*tip, y)], Rgb(60, 40, 30), 1.0, 0.7);
        }
        self.cylinder(
            rrect(39.0, 62.0, 22.0, 22.0, 4.0),
            39.0,
            61.0,
            Rgb(150, 120, 190),
        );
        self.cylinder(
            rrect(46.0, 57.0, 8.0, 6.0, 0.8),
            46.0,
            54.0,
            Rgb(40, 40, 44),
        );
        self.label(42.0, 68.0, 16.0, 10.0, CREAM, Rgb(110, 80, 150));
        self.highlight(41.5, 64.0, 17.0);
    }

    fn hot_water(&mut self) {
        self.shadow(50.0, BASE, 18.0);
        let rubber = Rgb(200, 80, 60);
        self.cylinder(
            rrect(45.0, 24.0, 10.0, 14.0, 1.5),
            45.0,
            55.0,
            rubber.shade(0.9),
        );
        self.cylinder(
            rrect(44.0, 20.0, 12.0, 5.0, 1.2),
            44.0,
            56.0,
            Rgb(60, 60, 64),
        );
        self.cylinder(rrect(33.0, 35.0, 34.0, 49.0, 9.0), 33.0, 67.0, rubber);
        for i in 0..9 {
            let y = 42.0 + i as f32 * 4.5;
            self.line(&[(37.0, y), (63.0, y)], BLACK, 0.12, 0.6);
        }
    }

    fn brush(&mut self) {
        self.shadow(50.0, 81.0, 24.0);
        let mut handle = PathBuilder::new();
        handle.move_to(44.0, 74.0);
        handle.line_to(82.0, 60.0);
        self.stroke(handle.finish(), BEECH.shade(0.9), 1.0, 4.0);
        self.solid(oval(82.0, 60.0, 1.2, 1.2), Rgb(60, 40, 30), 1.0);
        self.solid(oval(36.0, 79.0, 11.0, 4.0), Rgb(90, 70, 50), 1.0);
        self.cylinder(oval(38.0, 75.0, 10.0, 5.0), 28.0, 48.0, BEECH);
    }

    fn draw(&mut self, s: Subject) {
        match s {
            Subject::Bottle {
                shape,
                glass,
                label,
                cap,
            } => self.bottle(shape, glass, label, cap),
            Subject::Jar {
                content,
                lid,
                squat,
            } => self.jar(content, lid, squat),
            Subject::Tin { body, band, small } => self.tin(body, band, small),
            Subject::Sardines => self.sardines(),
            Subject::Bag { body, band } => self.bag(body, band),
            Subject::Book { cover, band } => self.book(cover, band),
            Subject::Magazine { cover, band } => self.magazine(cover, band),
            Subject::Plate => self.plate(),
            Subject::Bowl { glaze } => self.bowl(glaze),
            Subject::Pot { body, teapot } => self.pot(body, teapot),
            Subject::Glasses => self.glasses(),
            Subject::Carafe => self.carafe(),
            Subject::Cloth { colours, stripes } => self.cloth(colours, stripes),
            Subject::Apron { body } => self.apron(body),
            Subject::Board => self.board(),
            Subject::Knife => self.knife(),
            Subject::Soap => self.soap(),
            Subject::Candle => self.candle(),
            Subject::Basket => self.basket(),
            Subject::Diffuser => self.diffuser(),
            Subject::HotWater => self.hot_water(),
            Subject::Brush => self.brush(),
        }
    }

    /// A sprig of leaves on the table beside the object, for the food departments.
    fn sprig(&mut self, x: f32, leaf: Rgb) {
        self.line(&[(x, 86.0), (x + 9.0, 80.0)], leaf.shade(0.7), 1.0, 0.5);
        for i in 0..4 {
            let t = i as f32 / 3.0;
            let (px, py) = (x + 9.0 * t, 86.0 - 6.0 * t);
            let angle = if i % 2 == 0 { -0.6 } else { 0.9 };
            let (dx, dy) = (
                2.0 * (angle * PI / 2.0).cos(),
                2.0 * (angle * PI / 2.0).sin(),
            );
            self.solid(oval(px + dx, py + dy, 1.8, 0.9), leaf, 0.95);
        }
    }

    /// The picture as JPEG bytes (opaque: every pixel is painted over the wall).
    fn jpeg(&self) -> Result<Vec<u8>, String> {
        let mut rgb = Vec::with_capacity((SIDE * SIDE * 3) as usize);
        for p in self.pix.pixels() {
            let c = p.demultiply();
            rgb.extend_from_slice(&[c.red(), c.green(), c.blue()]);
        }
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
            .encode(&rgb, SIDE, SIDE, image::ExtendedColorType::Rgb8)
            .map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// The picture of a demo product of the `department`-th department, as JPEG bytes.
pub fn draw(department: usize, name: &str) -> Result<Vec<u8>, String> {
    let mut canvas = Canvas::new();
    let (wall, table) = room(department);
    let light = (hash(name) % 100) as f32 / 100.0;
    canvas.room(wall, table, light);
    if department <= 1 {
        let leaf = if department == 0 {
            Rgb(110, 130, 70)
        } else {
            Rgb(80, 120, 70)
        };
        canvas.sprig(if light < 0.5 { 18.0 } else { 72.0 }, leaf);
    }
    canvas.draw(subject(department, name));
    canvas.jpeg()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_product_gets_its_own_subject() {
        assert!(matches!(
            subject(2, "Champagne brut réserve"),
            Subject::Bottle {
                shape: BottleShape::Sparkling,
                ..
            }
        ));
        assert!(matches!(
            subject(3, "Théière en fonte émaillée"),
            Subject::Pot { teapot: true, .. }
        ));
        assert!(matches!(
            subject(3, "Bol à café au lait"),
            Subject::Bowl { .. }
        ));
        assert!(matches!(
            subject(5, "Petit traité du thé"),
            Subject::Book { .. }
        ));
        assert!(matches!(
            subject(6, "Revue Le Goût du thé n° 9"),
            Subject::Magazine { .. }
        ));
        assert!(matches!(
            subject(4, "Tablier en toile de coton"),
            Subject::Apron { .. }
        ));
    }

    #[test]
    fn a_picture_is_a_square_jpeg_that_differs_between_products() {
        let wine = draw(2, "Chablis Premier Cru 2021").expect("drawn");
        let again = draw(2, "Chablis Premier Cru 2021").expect("drawn");
        let jar = draw(0, "Miel de lavande AOP 400 g").expect("drawn");
        assert_eq!(wine, again, "the same product gets the same picture");
        assert_ne!(wine, jar);
        let decoded = image::load_from_memory(&wine).expect("a JPEG");
        assert_eq!((decoded.width(), decoded.height()), (SIDE, SIDE));
        // Not a blank wall: the middle of the frame, where the object stands, is mostly
        // unlike the wall's corner.
        let rgb = decoded.to_rgb8();
        let wall = *rgb.get_pixel(5, 5);
        let (mut unlike, mut all) = (0, 0);
        for y in (SIDE * 2 / 10..SIDE * 6 / 10).step_by(8) {
            for x in (SIDE * 45 / 100..SIDE * 55 / 100).step_by(8) {
                let p = rgb.get_pixel(x, y);
                let distance: i32 = (0..3)
                    .map(|i| (i32::from(wall[i]) - i32::from(p[i])).abs())
                    .sum();
                unlike += i32::from(distance > 60);
                all += 1;
            }
        }
        assert!(
            unlike * 2 > all,
            "{unlike} of {all} pixels differ from the wall"
        );
    }
}
