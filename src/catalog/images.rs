//! Product images: the type is sniffed from the bytes (never the name or the header), the
//! picture decoded within limits, a thumbnail made, both stored in the database with the
//! image's row — every instance sharing the database serves them, backups carry them, and an
//! upload is recorded whole or not at all. (Earlier versions kept them under
//! `<data_dir>/media`; [`adopt_files`] reads those in at start-up.)

use std::io::Cursor;
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use image::{ImageFormat, ImageReader, Limits};

use crate::audit;
use crate::auth::new_token;
use crate::db::now;
use crate::db::schema::product_images;
use crate::db::DbConn;
use crate::ids::{ImageId, ProductId, UserId, VariantId};

/// Thumbnails are this wide (pixels); the originals are kept as uploaded.
pub const THUMB_WIDTH: u32 = 480;
const MAX_SIDE: u32 = 8000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

impl Kind {
    /// What the first bytes say the file is.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(Kind::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Kind::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(Kind::Webp),
            _ => None,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::Webp => ImageFormat::WebP,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Webp => "webp",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image could not be read: {0}")]
    Undecodable(String),
}

/// A processed upload with its thumbnail, ready to be recorded.
#[derive(Debug)]
pub struct Stored {
    pub file_name: String,
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// The size of the thumbnail [`process`] makes of a `width` × `height` picture: as wide as
/// [`THUMB_WIDTH`], at most four times as tall, in proportion (as `DynamicImage::thumbnail`).
pub fn thumb_size(width: i32, height: i32) -> (i32, i32) {
    let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let ratio = (f64::from(THUMB_WIDTH) / w).min(f64::from(THUMB_WIDTH * 4) / h);
    let side = |v: f64| ((v * ratio).round() as i32).max(1);
    (side(w), side(h))
}

/// Where earlier versions kept pictures.
fn media_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("media")
}

/// Checks and decodes an upload and makes its thumbnail. CPU-heavy: run it on a blocking
/// thread.
pub fn process(bytes: Vec<u8>) -> Result<Stored, ImageError> {
    let kind = Kind::sniff(&bytes).ok_or(ImageError::NotAnImage)?;
    let mut reader = ImageReader::with_format(Cursor::new(&bytes), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|e| ImageError::Undecodable(e.to_string()))?;
    let (width, height) = (picture.width(), picture.height());
    let thumb = picture.thumbnail(THUMB_WIDTH, THUMB_WIDTH * 4);
    let stem: String = new_token()
        .0
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect();
    let file_name = format!("{}.{}", stem.to_ascii_lowercase(), kind.extension());
    let mut encoded = Cursor::new(Vec::new());
    // JPEG has no alpha channel: flatten before encoding.
    let written = if kind == Kind::Jpeg {
        image::DynamicImage::ImageRgb8(thumb.to_rgb8()).write_to(&mut encoded, kind.format())
    } else {
        thumb.write_to(&mut encoded, kind.format())
    };
    written.map_err(|e| ImageError::Undecodable(e.to_string()))?;
    Ok(Stored {
        file_name,
        kind,
        width,
        height,
        data: bytes,
        thumb: encoded.into_inner(),
    })
}

/// Only names this module made are served or deleted (no path tricks).
pub fn valid_name(name: &str) -> bool {
    let mut parts = name.splitn(2, '.');
    let stem = parts.next().unwrap_or("");
    let ext = parts.next().unwrap_or("");
    !stem.is_empty()
        && stem.len() <= 64
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && ["jpg", "png", "webp"].contains(&ext)
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = product_images)]
pub struct ProductImage {
    pub id: ImageId,
    pub product_id: ProductId,
    /// The variant it shows (none: the whole product).
    pub variant_id: Option<VariantId>,
    pub file_name: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
    pub position: i32,
}

pub fn for_product(conn: &mut DbConn, product_id: ProductId) -> QueryResult<Vec<ProductImage>> {
    product_images::table
        .filter(product_images::product_id.eq(product_id))
        .order((product_images::position, product_images::id))
        .select(ProductImage::as_select())
        .load(conn)
}

/// Adds a picture to a product, or to one of its variants (a 404 for another product's); no
/// actor for the demo's own pictures.
pub fn record(
    conn: &mut DbConn,
    product_id: ProductId,
    variant_id: Option<VariantId>,
    s: &Stored,
    alt: &str,
    actor: Option<UserId>,
) -> QueryResult<ImageId> {
    conn.write_tx(|c| {
        if let Some(v) = variant_id {
            if crate::catalog::variants::find(c, v)?.product_id != product_id {
                return Err(diesel::result::Error::NotFound);
            }
        }
        let last: Option<i32> = product_images::table
            .filter(product_images::product_id.eq(product_id))
            .select(diesel::dsl::max(product_images::position))
            .first(c)?;
        let id: ImageId = diesel::insert_into(product_images::table)
            .values((
                product_images::product_id.eq(product_id),
                product_images::file_name.eq(&s.file_name),
                product_images::content_type.eq(s.kind.content_type()),
                product_images::alt.eq(alt),
                product_images::width.eq(s.width as i32),
                product_images::height.eq(s.height as i32),
                product_images::position.eq(last.map_or(0, |p| p + 1)),
                product_images::created_at.eq(now()),
                product_images::data.eq(&s.data),
                product_images::thumb.eq(&s.thumb),
                product_images::variant_id.eq(variant_id),
            ))
            .returning(product_images::id)
            .get_result(c)?;
        let after = serde_json::json!({ "file": s.file_name, "alt": alt, "variant": variant_id });
        audit::Change::new(actor, "product.image_add", "product")
            .on(product_id)
            .after(&after)
            .record(c)?;
        Ok(id)
    })
}

/// Moves an image one place up or down among its product's images.
pub fn reorder(
    conn: &mut DbConn,
    product_id: ProductId,
    image_id: ImageId,
    up: bool,
    actor: UserId,
) -> QueryResult<()> {
    conn.write_tx(|c| {
        let mut ids: Vec<ImageId> = for_product(c, product_id)?.iter().map(|i| i.id).collect();
        let Some(i) = ids.iter().position(|id| *id == image_id) else {
            return Err(diesel::result::Error::NotFound);
        };
        let j = if up {
            i.checked_sub(1)
        } else {
            Some(i + 1).filter(|j| *j < ids.len())
        };
        if let Some(j) = j {
            ids.swap(i, j);
            for (pos, id) in ids.iter().enumerate() {
                diesel::update(product_images::table.find(id))
                    .set(product_images::position.eq(pos as i32))
                    .execute(c)?;
            }
            audit::Change::new(Some(actor), "product.image_move", "product")
                .on(product_id)
                .before(&serde_json::json!({ "position": i }))
                .after(&serde_json::json!({ "position": j }))
                .record(c)?;
        }
        Ok(())
    })
}

/// Deletes an image, its picture with it.
pub fn delete(
    conn: &mut DbConn,
    product_id: ProductId,
    image_id: ImageId,
    actor: UserId,
) -> QueryResult<()> {
    conn.write_tx(|c| {
        let img: ProductImage = product_images::table
            .filter(product_images::id.eq(image_id))
            .filter(product_images::product_id.eq(product_id))
            .select(ProductImage::as_select())
            .first(c)?;
        diesel::delete(product_images::table.find(image_id)).execute(c)?;
        audit::Change::new(Some(actor), "product.image_delete", "product")
            .on(product_id)
            .before(&serde_json::json!({ "file": img.file_name }))
            .record(c)?;
        Ok(())
    })
}

/// A picture as served: its type and bytes (the original, or the thumbnail).
pub fn picture(
    conn: &mut DbConn,
    file_name: &str,
    thumbnail: bool,
) -> QueryResult<Option<(String, Vec<u8>)>> {
    let q = product_images::table
        .filter(product_images::file_name.eq(file_name))
        .into_boxed();
    let row: Option<(String, Option<Vec<u8>>)> = if thumbnail {
        q.select((product_images::content_type, product_images::thumb))
            .first(conn)
            .optional()?
    } else {
        q.select((product_images::content_type, product_images::data))
            .first(conn)
            .optional()?
    };
    Ok(row.and_then(|(kind, bytes)| Some((kind, bytes?))))
}

/// Reads into the database the pictures an earlier version stored under `<data_dir>/media`
/// (once: only rows without bytes are looked at). A missing file is logged and left for staff
/// to replace. Returns how many were read in.
pub fn adopt_files(conn: &mut DbConn, data_dir: &Path) -> QueryResult<usize> {
    let names: Vec<String> = product_images::table
        .filter(product_images::data.is_null())
        .select(product_images::file_name)
        .load(conn)?;
    let dir = media_dir(data_dir);
    let mut adopted = 0;
    for name in names.iter().filter(|n| valid_name(n)) {
        let read = std::fs::read(dir.join(name))
            .and_then(|data| Ok((data, std::fs::read(dir.join("thumbs").join(name))?)));
        match read {
            Ok((data, thumb)) => {
                diesel::update(product_images::table.filter(product_images::file_name.eq(name)))
                    .set((
                        product_images::data.eq(data),
                        product_images::thumb.eq(thumb),
                    ))
                    .execute(conn)?;
                adopted += 1;
            }
            Err(e) => log::warn!("picture {name} not found under {}: {e}", dir.display()),
        }
    }
    Ok(adopted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumb_size_is_the_size_of_the_thumbnail_made() {
        for (w, h) in [(960, 960), (1201, 799), (300, 2000), (37, 3)] {
            let mut png = Cursor::new(Vec::new());
            image::DynamicImage::new_rgb8(w, h)
                .write_to(&mut png, ImageFormat::Png)
                .expect("encode");
            let stored = process(png.into_inner()).expect("processed");
            let thumb = image::load_from_memory(&stored.thumb).expect("decode");
            assert_eq!(
                thumb_size(w as i32, h as i32),
                (thumb.width() as i32, thumb.height() as i32),
                "{w} × {h}"
            );
        }
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            Kind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some(Kind::Jpeg)
        );
        assert_eq!(Kind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(
            Kind::sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 "),
            Some(Kind::Webp)
        );
        assert_eq!(Kind::sniff(b"<html><script>"), None);
        assert_eq!(Kind::sniff(b"GIF89a"), None);
        assert_eq!(Kind::sniff(b""), None);
    }

    #[test]
    fn only_generated_names_are_valid() {
        assert!(valid_name("abc123.jpg"));
        assert!(!valid_name("../secret_key"));
        assert!(!valid_name("abc.jpg.exe"));
        assert!(!valid_name("ABC.jpg"));
        assert!(!valid_name(".jpg"));
    }

    #[test]
    fn makes_a_thumbnail_of_a_png() {
        let mut png = Cursor::new(Vec::new());
        image::DynamicImage::new_rgba8(1200, 600)
            .write_to(&mut png, ImageFormat::Png)
            .unwrap();
        let stored = process(png.get_ref().clone()).unwrap();
        assert_eq!(
            (stored.width, stored.height, stored.kind),
            (1200, 600, Kind::Png)
        );
        assert_eq!(&stored.data, png.get_ref());
        let thumb = image::load_from_memory(&stored.thumb).unwrap();
        assert_eq!(thumb.width(), THUMB_WIDTH);
        assert!(matches!(
            process(b"\x89PNG\r\n\x1a\nnot really".to_vec()),
            Err(ImageError::Undecodable(_))
        ));
        assert!(matches!(
            process(b"MZ\x90\x00 a program".to_vec()),
            Err(ImageError::NotAnImage)
        ));
    }
}
