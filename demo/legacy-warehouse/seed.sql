-- A few stock levels of the legacy warehouse WH-LEGACY (spare parts the SCM does not stock).
INSERT INTO stock_levels (sku, warehouse_id, on_hand, reserved, bin) VALUES
  ('LEGACY-HINGE-01', 'WH-LEGACY', 120, 0, 'A-01-1'),
  ('LEGACY-CASTOR-04', 'WH-LEGACY', 48, 8, 'A-02-3'),
  ('LEGACY-SHELF-PIN', 'WH-LEGACY', 0, 0, 'B-11-2')
ON CONFLICT (sku, warehouse_id) DO NOTHING;
