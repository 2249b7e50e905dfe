//! Back-office categories: create, rename, reorder, delete when empty.

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route};
use serde::Serialize;

use crate::catalog::categories::{self as manage, CategoryError, CategoryRow, CategoryText};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::CategoryId;
use crate::site::admin::Direction;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::visitor::Staff;
use crate::text::slugify;

pub fn routes() -> Vec<Route> {
    routes![list, create_category, rename, reorder, delete]
}

#[derive(Serialize)]
struct CategoryList {
    categories: Vec<CategoryRow>,
}

#[get("/categories")]
async fn list(db: DbRef, ctx: PageCtx<'_>, _staff: Staff) -> AppResult<Html> {
    let categories = db.run(manage::categories_with_counts).await?;
    Ok(ctx.render("admin/categories", CategoryList { categories }))
}

#[derive(Debug, FromForm)]
pub struct CategoryForm {
    #[field(default = String::new())]
    pub name: String,
    #[field(default = String::new())]
    pub slug: String,
    #[field(default = String::new())]
    pub description: String,
    #[field(default = String::new())]
    pub name_en: String,
    #[field(default = String::new())]
    pub description_en: String,
}

impl CategoryForm {
    /// The cleaned texts, or the message to show.
    fn check(&self, lang: Lang) -> Result<CategoryText, String> {
        let name = self.name.trim().to_string();
        let slug = slugify(if self.slug.trim().is_empty() {
            &name
        } else {
            &self.slug
        });
        if name.is_empty() || name.chars().count() > 100 {
            return Err(lang.t("err-required_100"));
        }
        if slug.is_empty() || slug.len() > 120 {
            return Err(lang.t("err-slug"));
        }
        let description = self.description.trim().to_string();
        let (name_en, description_en) = (
            self.name_en.trim().to_string(),
            self.description_en.trim().to_string(),
        );
        if name_en.chars().count() > 100 {
            return Err(lang.t("err-max_100"));
        }
        if description.chars().count() > 1000 || description_en.chars().count() > 1000 {
            return Err(lang.t("err-too_long"));
        }
        Ok(CategoryText {
            name,
            slug,
            description,
            name_en,
            description_en,
        })
    }
}

fn back() -> Redirect {
    Redirect::to("/admin/categories")
}

fn outcome(r: Result<(), CategoryError>, lang: Lang) -> AppResult<Flash<Redirect>> {
    match r {
        Ok(()) => Ok(Flash::success(back(), lang.t("admin-saved"))),
        Err(CategoryError::SlugTaken) => Ok(Flash::error(back(), lang.t("err-slug_taken"))),
        Err(CategoryError::NotEmpty) => {
            Ok(Flash::error(back(), lang.t("admin-category-not-empty")))
        }
        Err(CategoryError::Db(e)) => Err(e.into()),
    }
}

#[post("/categories", data = "<form>")]
async fn create_category(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    form: Protected<CategoryForm>,
) -> AppResult<Flash<Redirect>> {
    let lang = ctx.lang();
    let text = match form.check(lang) {
        Ok(v) => v,
        Err(msg) => return Ok(Flash::error(back(), msg)),
    };
    let actor = staff.0.id;
    let r = db
        .run(move |c| manage::create_category(c, &text, actor).map(|_| ()))
        .await;
    outcome(r, lang)
}

#[post("/categories/<id>", data = "<form>")]
async fn rename(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: CategoryId,
    form: Protected<CategoryForm>,
) -> AppResult<Flash<Redirect>> {
    let lang = ctx.lang();
    let text = match form.check(lang) {
        Ok(v) => v,
        Err(msg) => return Ok(Flash::error(back(), msg)),
    };
    let actor = staff.0.id;
    let r = db
        .run(move |c| manage::rename_category(c, id, &text, actor))
        .await;
    outcome(r, lang)
}

#[post("/categories/<id>/<direction>", data = "<_form>", rank = 2)]
async fn reorder(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: CategoryId,
    direction: Direction,
    _form: Protected<crate::site::csrf::Nothing>,
) -> AppResult<Flash<Redirect>> {
    let (actor, up) = (staff.0.id, direction == Direction::Up);
    db.run(move |c| manage::move_category(c, id, up, actor))
        .await?;
    outcome(Ok(()), ctx.lang())
}

#[post("/categories/<id>/delete", data = "<_form>")]
async fn delete(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: CategoryId,
    _form: Protected<crate::site::csrf::Nothing>,
) -> AppResult<Flash<Redirect>> {
    let actor = staff.0.id;
    let r = db.run(move |c| manage::delete_category(c, id, actor)).await;
    outcome(r, ctx.lang())
}
