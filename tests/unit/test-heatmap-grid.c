/* test-heatmap-grid.c — an optimisation's candidates binned for the
 * heatmap, and its colour scale
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "bourse-heatmap-grid.h"

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

/* Distinct values ascending; a cell keeps the best-ranked candidate of
 * those that differ in a third parameter; cells without one are blank. */
static void
test_binning (void)
{
  g_autoptr(JsonArray) candidates =
    parse_array ("["
                 "{\"rank\": 1, \"params\": {\"fast\": 10, \"slow\": 30, \"stop\": 2.0}, \"objective\": 1.5},"
                 "{\"rank\": 2, \"params\": {\"fast\": 10, \"slow\": 30, \"stop\": 1.0}, \"objective\": 1.2},"
                 "{\"rank\": 3, \"params\": {\"fast\": 5, \"slow\": 20.5, \"stop\": 1.0}, \"objective\": -0.5},"
                 "{\"rank\": 4, \"params\": {\"fast\": 5, \"slow\": 30, \"stop\": 1.0}, \"objective\": 0.25},"
                 "{\"rank\": 5, \"params\": {\"fast\": 5}, \"objective\": 9}"
                 "]");
  g_autoptr(BourseHeatmapGrid) grid = bourse_heatmap_grid_new (candidates, "fast", "slow");

  g_assert_cmpuint (grid->n_x, ==, 2);
  g_assert_cmpuint (grid->n_y, ==, 2);
  g_assert_cmpfloat (grid->x_values[0], ==, 5);
  g_assert_cmpfloat (grid->x_values[1], ==, 10);
  g_assert_cmpfloat (grid->y_values[0], ==, 20.5);
  g_assert_cmpfloat (grid->y_values[1], ==, 30);
  g_assert_cmpuint (grid->n_filled, ==, 3);

  g_assert_cmpfloat (bourse_heatmap_grid_get (grid, 0, 0), ==, -0.5);
  g_assert_true (isnan (bourse_heatmap_grid_get (grid, 1, 0)));
  g_assert_cmpfloat (bourse_heatmap_grid_get (grid, 0, 1), ==, 0.25);
  g_assert_cmpfloat (bourse_heatmap_grid_get (grid, 1, 1), ==, 1.5);
  g_assert_cmpint (grid->ranks[1 * grid->n_x + 1], ==, 1);
  g_assert_true (isnan (bourse_heatmap_grid_get (grid, 2, 0)));

  g_assert_cmpfloat (grid->low, ==, -0.5);
  g_assert_cmpfloat (grid->high, ==, 1.5);
  g_assert_cmpfloat (bourse_heatmap_grid_scale (grid, -0.5), ==, 0);
  g_assert_cmpfloat (bourse_heatmap_grid_scale (grid, 0.5), ==, 0.5);
  g_assert_cmpfloat (bourse_heatmap_grid_scale (grid, 1.5), ==, 1);
  g_assert_true (isnan (bourse_heatmap_grid_scale (grid, NAN)));
}

/* An infinite profit factor (null) is the top of the scale, and leaves
 * the finite bounds alone; one value alone is the scale's middle. */
static void
test_infinite (void)
{
  g_autoptr(JsonArray) candidates =
    parse_array ("["
                 "{\"rank\": 1, \"params\": {\"a\": 1, \"b\": 1}, \"objective\": null},"
                 "{\"rank\": 2, \"params\": {\"a\": 2, \"b\": 1}, \"objective\": 3}"
                 "]");
  g_autoptr(BourseHeatmapGrid) grid = bourse_heatmap_grid_new (candidates, "a", "b");

  g_assert_cmpuint (grid->n_filled, ==, 2);
  g_assert_cmpfloat (bourse_heatmap_grid_get (grid, 0, 0), ==, INFINITY);
  g_assert_cmpfloat (grid->low, ==, 3);
  g_assert_cmpfloat (grid->high, ==, 3);
  g_assert_cmpfloat (bourse_heatmap_grid_scale (grid, INFINITY), ==, 1);
  g_assert_cmpfloat (bourse_heatmap_grid_scale (grid, 3), ==, 0.5);
}

static void
test_empty (void)
{
  g_autoptr(JsonArray) candidates = parse_array ("[]");
  g_autoptr(BourseHeatmapGrid) grid = bourse_heatmap_grid_new (candidates, "a", "b");

  g_assert_cmpuint (grid->n_x, ==, 0);
  g_assert_cmpuint (grid->n_filled, ==, 0);
  g_assert_true (isnan (bourse_heatmap_grid_get (grid, 0, 0)));
}

/* Red at the bottom, green at the top, amber between. */
static void
test_colour (void)
{
  double r, g, b;

  bourse_heatmap_colour (0, &r, &g, &b);
  g_assert_cmpfloat (r, >, g);
  bourse_heatmap_colour (1, &r, &g, &b);
  g_assert_cmpfloat (g, >, r);
  bourse_heatmap_colour (0.5, &r, &g, &b);
  g_assert_cmpfloat (r, >, 0.9);
  g_assert_cmpfloat (g, >, 0.7);
  bourse_heatmap_colour (7, &r, &g, &b);
  g_assert_cmpfloat_with_epsilon (r, 0.18, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/heatmap-grid/binning", test_binning);
  g_test_add_func ("/heatmap-grid/infinite", test_infinite);
  g_test_add_func ("/heatmap-grid/empty", test_empty);
  g_test_add_func ("/heatmap-grid/colour", test_colour);

  return g_test_run ();
}
