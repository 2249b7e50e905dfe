//! Back-office product images: upload (multipart, size-limited, type sniffed from the bytes),
//! reorder, delete.

use rocket::form::{Form, FromForm};
use rocket::fs::TempFile;
use rocket::response::{Flash, Redirect};
use rocket::tokio::io::AsyncReadExt;
use rocket::{post, routes, Route};

use crate::catalog::images::{self, ImageError};
use crate::catalog::manage;
use crate::error::{AppError, AppResult};
use crate::ids::{ImageId, ProductId, VariantId};
use crate::site::admin::Direction;
use crate::site::csrf::MultipartCsrf;
use crate::site::csrf::Nothing;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::visitor::Staff;
use crate::site::visitor::Visitor;

pub fn routes() -> Vec<Route> {
    routes![upload, reorder, delete]
}

#[derive(FromForm)]
pub struct Upload<'r> {
    #[field(name = "_csrf", default = String::new())]
    pub csrf: String,
    #[field(default = String::new())]
    pub alt: String,
    /// The variant it shows (none: the whole product).
    pub variant_id: Option<VariantId>,
    pub image: Option<TempFile<'r>>,
}

fn back(id: ProductId) -> Redirect {
    Redirect::to(format!("/admin/products/{id}"))
}

#[post("/products/<id>/images", data = "<form>")]
async fn upload(
    db: DbRef,
    staff: Staff,
    visitor: &Visitor,
    csrf: MultipartCsrf<'_>,
    id: ProductId,
    form: Form<Upload<'_>>,
) -> AppResult<Flash<Redirect>> {
    if !csrf.matches(&form.csrf) {
        return Err(AppError::Forbidden);
    }
    db.run(move |c| manage::find(c, id)).await?;
    let lang = visitor.lang;
    let Some(file) = form.image.as_ref().filter(|f| f.len() > 0) else {
        return Ok(Flash::error(back(id), lang.t("admin-image-missing")));
    };
    let mut bytes = Vec::with_capacity(file.len() as usize);
    file.open()
        .await
        .map_err(|e| AppError::Internal(format!("reading the upload: {e}")))?
        .read_to_end(&mut bytes)
        .await
        .map_err(|e| AppError::Internal(format!("reading the upload: {e}")))?;
    let stored = rocket::tokio::task::spawn_blocking(move || images::process(bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let stored = match stored {
        Ok(s) => s,
        Err(ImageError::NotAnImage) | Err(ImageError::Undecodable(_)) => {
            return Ok(Flash::error(back(id), lang.t("admin-image-invalid")))
        }
    };
    let alt: String = form.alt.trim().chars().take(200).collect();
    let (actor, variant) = (staff.0.id, form.variant_id);
    db.run(move |c| images::record(c, id, variant, &stored, &alt, Some(actor)))
        .await?;
    Ok(Flash::success(back(id), lang.t("admin-image-added")))
}

#[post(
    "/products/<id>/images/<image>/<direction>",
    data = "<_form>",
    rank = 2
)]
async fn reorder(
    db: DbRef,
    staff: Staff,
    visitor: &Visitor,
    id: ProductId,
    image: ImageId,
    direction: Direction,
    _form: Protected<Nothing>,
) -> AppResult<Flash<Redirect>> {
    let (actor, up) = (staff.0.id, direction == Direction::Up);
    db.run(move |c| images::reorder(c, id, image, up, actor))
        .await?;
    Ok(Flash::success(back(id), visitor.lang.t("admin-saved")))
}

#[post("/products/<id>/images/<image>/delete", data = "<_form>")]
async fn delete(
    db: DbRef,
    staff: Staff,
    visitor: &Visitor,
    id: ProductId,
    image: ImageId,
    _form: Protected<Nothing>,
) -> AppResult<Flash<Redirect>> {
    let actor = staff.0.id;
    db.run(move |c| images::delete(c, id, image, actor)).await?;
    Ok(Flash::success(
        back(id),
        visitor.lang.t("admin-image-deleted"),
    ))
}
