#!/usr/bin/env python3
"""Tests of scripts/imports.py on small fixture trees (scripts/fixtures/imports/)."""

import io
import os
import shutil
import tempfile
import unittest

import imports

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "imports")


def run(root):
    lines = []
    breaches = imports.check(root, out=lines.append)
    return breaches, lines


class ImportGraph(unittest.TestCase):
    def test_a_cycle_after_a_cfg_test_impl_is_found(self):
        breaches, lines = run(os.path.join(FIXTURES, "hidden_cycle", "src"))
        self.assertIn(
            "cycle between files: orders::model <-> shipping::model <-> shipping::rates", lines
        )
        self.assertIn("cycle between top-level modules: orders <-> shipping", lines)
        self.assertEqual(breaches, 2)

    def test_the_clean_tree_passes_and_test_modules_comments_strings_are_not_read(self):
        breaches, lines = run(os.path.join(FIXTURES, "clean", "src"))
        self.assertEqual(breaches, 0, lines)

    def test_rocket_or_the_web_wing_below_it_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "src")
            shutil.copytree(os.path.join(FIXTURES, "clean", "src"), root)
            with open(os.path.join(root, "shipping", "rates.rs"), "a") as f:
                f.write("\npub fn page() -> i64 { crate::site::page as usize as i64 }\n")
                f.write("use rocket::http::Status;\n")
            breaches, lines = run(root)
            self.assertIn("below the web wing, shipping::rates imports site", lines)
            self.assertTrue(any("names Rocket: use rocket::http::Status;" in l for l in lines), lines)
            # site -> shipping -> site: also a cycle between files and between top-level modules.
            self.assertEqual(breaches, 4, lines)

    def test_braces_in_literals_and_comments_do_not_end_a_test_module(self):
        text = imports.blank_literals(
            '#[cfg(test)]\nmod tests {\n    const A: char = \'}\';\n    // }\n    const B: &str = r#"}"#;\n    use crate::x;\n}\nuse crate::y;\n'
        )
        code, _ = imports.strip_test_modules(text)
        self.assertNotIn("crate::x", code)
        self.assertIn("use crate::y;", code)


if __name__ == "__main__":
    unittest.main()
