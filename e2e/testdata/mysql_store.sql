-- A realistic MySQL/MariaDB schema for migration tests: a store with
-- inventory and payments, plus a table holding every common type.
SET SESSION max_recursive_iterations = 100000;
CREATE TABLE stores (
  id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name varchar(80) NOT NULL,
  country char(2) NOT NULL DEFAULT 'US',
  opened date,
  UNIQUE KEY uq_name (name)
);
CREATE TABLE products (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sku varchar(32) NOT NULL,
  title varchar(200) NOT NULL,
  status enum('draft','active','retired') NOT NULL DEFAULT 'draft',
  tags set('new','sale','gift'),
  price decimal(10,2) NOT NULL CHECK (price >= 0),
  weight_kg float,
  attrs json,
  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_sku (sku),
  KEY idx_title (title(20)),
  FULLTEXT KEY ft_title (title)
);
CREATE TABLE inventory (
  store_id int unsigned NOT NULL,
  product_id bigint unsigned NOT NULL,
  qty int NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, product_id),
  KEY idx_product (product_id),
  CONSTRAINT fk_inv_store FOREIGN KEY (store_id) REFERENCES stores (id),
  CONSTRAINT fk_inv_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
);
CREATE TABLE payments (
  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  store_id int unsigned NOT NULL,
  amount decimal(12,2) NOT NULL,
  method enum('card','cash','voucher') NOT NULL,
  paid_at datetime(3) NOT NULL,
  refunded tinyint(1) NOT NULL DEFAULT 0,
  receipt blob,
  CONSTRAINT fk_pay_store FOREIGN KEY (store_id) REFERENCES stores (id)
);
CREATE TABLE audit_log (at datetime, who varchar(40), what text);
CREATE TABLE all_types (
  id int NOT NULL PRIMARY KEY,
  ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned, mi mediumint, miu mediumint unsigned,
  i int, iu int unsigned, bi bigint, biu bigint unsigned,
  dec0 decimal(20,0), dec1 decimal(65,30), f float, d double,
  b1 bit(1), b8 bit(8),
  c char(10), vc varchar(255), tt tinytext, t text, mt mediumtext, lt longtext,
  bin binary(4), vbin varbinary(16), bl blob, lb longblob,
  dt date, dtt datetime, dtt6 datetime(6), ts timestamp NULL, ts3 timestamp(3) NULL, tm time, tm6 time(6), yr year,
  e enum('x','y z',''), s set('a','b','c'), j json
);
INSERT INTO stores (name, country, opened) VALUES ('Downtown', 'US', '2020-01-15'), ('Airport', 'DE', NULL), ('Ünïcode Ståre', 'SE', '2021-06-30');
INSERT INTO products (sku, title, status, tags, price, weight_kg, attrs)
  WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 500)
  SELECT CONCAT('SKU-', n), CONCAT('Product ', n, CASE WHEN n % 7 = 0 THEN ' with\ttab' ELSE '' END),
         ELT(1 + n % 3, 'draft', 'active', 'retired'), IF(n % 4 = 0, 'new,sale', IF(n % 5 = 0, '', NULL)),
         n * 1.25, n / 3, JSON_OBJECT('n', n, 'even', n % 2 = 0) FROM g;
INSERT INTO inventory SELECT s.id, p.id, (s.id * p.id) % 50 FROM stores s JOIN products p WHERE p.id <= 200;
INSERT INTO payments (store_id, amount, method, paid_at, refunded, receipt)
  WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 2000)
  SELECT 1 + n % 3, n / 7, ELT(1 + n % 3, 'card', 'cash', 'voucher'), '2024-01-01 00:00:00.000' + INTERVAL n MINUTE, n % 11 = 0,
         IF(n % 13 = 0, UNHEX(MD5(n)), NULL) FROM g;
INSERT INTO audit_log VALUES ('2024-01-01 10:00:00', 'alice', 'created'), ('2024-01-01 10:00:00', 'alice', 'created'), (NULL, NULL, NULL);
INSERT INTO all_types VALUES
 (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
  99999999999999999999, 12345678901234567890.123456789012345678901234567890, 3.4e38, 1.7976931348623157e308,
  b'1', b'10101010',
  'char', 'tab\there\nnewline back\\slash \\N', 'tiny', 'text', 'medium', 'long ✓',
  X'00010203', X'DEADBEEF00', X'00FF', X'',
  '2024-02-29', '1999-12-31 23:59:59', '2000-01-01 00:00:00.000001', '2038-01-19 03:14:07', '2024-06-01 12:00:00.123', '12:30:00', '23:59:59.999999', 2155,
  'y z', 'a,c', '{"b": [1, 2.5, null], "a": {"nested": true}}'),
 (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.0, 0.1, b'0', b'00000000',
  '', '', '', '', '', '', X'00000000', X'', X'', NULL,
  '0000-00-00', '0000-00-00 00:00:00', NULL, NULL, NULL, '00:00:00', NULL, 1901,
  '', '', '[]'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
