-- TABLE album
CREATE TABLE "album" (
    "albumid" numeric NOT NULL,
    "title" varchar(160) NOT NULL,
    "artistid" numeric NOT NULL,
    CONSTRAINT "pk_album" PRIMARY KEY ("albumid")
);

-- TABLE artist
CREATE TABLE "artist" (
    "artistid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_artist" PRIMARY KEY ("artistid")
);

-- TABLE customer
CREATE TABLE "customer" (
    "customerid" numeric NOT NULL,
    "firstname" varchar(40) NOT NULL,
    "lastname" varchar(20) NOT NULL,
    "company" varchar(80),
    "address" varchar(70),
    "city" varchar(40),
    "state" varchar(40),
    "country" varchar(40),
    "postalcode" varchar(10),
    "phone" varchar(24),
    "fax" varchar(24),
    "email" varchar(60) NOT NULL,
    "supportrepid" numeric,
    CONSTRAINT "pk_customer" PRIMARY KEY ("customerid")
);

-- TABLE employee
CREATE TABLE "employee" (
    "employeeid" numeric NOT NULL,
    "lastname" varchar(20) NOT NULL,
    "firstname" varchar(20) NOT NULL,
    "title" varchar(30),
    "reportsto" numeric,
    "birthdate" timestamp(0) without time zone,
    "hiredate" timestamp(0) without time zone,
    "address" varchar(70),
    "city" varchar(40),
    "state" varchar(40),
    "country" varchar(40),
    "postalcode" varchar(10),
    "phone" varchar(24),
    "fax" varchar(24),
    "email" varchar(60),
    CONSTRAINT "pk_employee" PRIMARY KEY ("employeeid")
);

-- TABLE genre
CREATE TABLE "genre" (
    "genreid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_genre" PRIMARY KEY ("genreid")
);

-- TABLE invoice
CREATE TABLE "invoice" (
    "invoiceid" numeric NOT NULL,
    "customerid" numeric NOT NULL,
    "invoicedate" timestamp(0) without time zone NOT NULL,
    "billingaddress" varchar(70),
    "billingcity" varchar(40),
    "billingstate" varchar(40),
    "billingcountry" varchar(40),
    "billingpostalcode" varchar(10),
    "total" numeric(10,2) NOT NULL,
    CONSTRAINT "pk_invoice" PRIMARY KEY ("invoiceid")
);

-- TABLE invoiceline
CREATE TABLE "invoiceline" (
    "invoicelineid" numeric NOT NULL,
    "invoiceid" numeric NOT NULL,
    "trackid" numeric NOT NULL,
    "unitprice" numeric(10,2) NOT NULL,
    "quantity" numeric NOT NULL,
    CONSTRAINT "pk_invoiceline" PRIMARY KEY ("invoicelineid")
);

-- TABLE mediatype
CREATE TABLE "mediatype" (
    "mediatypeid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_mediatype" PRIMARY KEY ("mediatypeid")
);

-- TABLE playlist
CREATE TABLE "playlist" (
    "playlistid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_playlist" PRIMARY KEY ("playlistid")
);

-- TABLE playlisttrack
CREATE TABLE "playlisttrack" (
    "playlistid" numeric NOT NULL,
    "trackid" numeric NOT NULL,
    CONSTRAINT "pk_playlisttrack" PRIMARY KEY ("playlistid", "trackid")
);

-- TABLE track
CREATE TABLE "track" (
    "trackid" numeric NOT NULL,
    "name" varchar(200) NOT NULL,
    "albumid" numeric,
    "mediatypeid" numeric NOT NULL,
    "genreid" numeric,
    "composer" varchar(220),
    "milliseconds" numeric NOT NULL,
    "bytes" numeric,
    "unitprice" numeric(10,2) NOT NULL,
    CONSTRAINT "pk_track" PRIMARY KEY ("trackid")
);

-- TABLE album
ALTER TABLE "album" ADD CONSTRAINT "fk_albumartistid" FOREIGN KEY ("artistid") REFERENCES "artist" ("artistid");

-- TABLE customer
ALTER TABLE "customer" ADD CONSTRAINT "fk_customersupportrepid" FOREIGN KEY ("supportrepid") REFERENCES "employee" ("employeeid");

-- TABLE employee
ALTER TABLE "employee" ADD CONSTRAINT "fk_employeereportsto" FOREIGN KEY ("reportsto") REFERENCES "employee" ("employeeid");

-- TABLE invoice
ALTER TABLE "invoice" ADD CONSTRAINT "fk_invoicecustomerid" FOREIGN KEY ("customerid") REFERENCES "customer" ("customerid");

-- TABLE invoiceline
ALTER TABLE "invoiceline" ADD CONSTRAINT "fk_invoicelineinvoiceid" FOREIGN KEY ("invoiceid") REFERENCES "invoice" ("invoiceid");

-- TABLE invoiceline
ALTER TABLE "invoiceline" ADD CONSTRAINT "fk_invoicelinetrackid" FOREIGN KEY ("trackid") REFERENCES "track" ("trackid");

-- TABLE playlisttrack
ALTER TABLE "playlisttrack" ADD CONSTRAINT "fk_playlisttrackplaylistid" FOREIGN KEY ("playlistid") REFERENCES "playlist" ("playlistid");

-- TABLE playlisttrack
ALTER TABLE "playlisttrack" ADD CONSTRAINT "fk_playlisttracktrackid" FOREIGN KEY ("trackid") REFERENCES "track" ("trackid");

-- TABLE track
ALTER TABLE "track" ADD CONSTRAINT "fk_trackalbumid" FOREIGN KEY ("albumid") REFERENCES "album" ("albumid");

-- TABLE track
ALTER TABLE "track" ADD CONSTRAINT "fk_trackgenreid" FOREIGN KEY ("genreid") REFERENCES "genre" ("genreid");

-- TABLE track
ALTER TABLE "track" ADD CONSTRAINT "fk_trackmediatypeid" FOREIGN KEY ("mediatypeid") REFERENCES "mediatype" ("mediatypeid");

-- notes
-- GRANT: Chinook_Oracle.sql line 19: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- GRANT: Chinook_Oracle.sql line 20: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- GRANT: Chinook_Oracle.sql line 21: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 198: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 225: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 232: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 509: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 858: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 1860: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 2862: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 3864: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 4369: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 4379: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 4440: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 4854: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 5856: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 6858: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 7100: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 7120: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 8122: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 9124: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 10126: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 11128: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 12130: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 13132: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 14134: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- INSERT: Chinook_Oracle.sql line 15136: not schema; skipped (data moves with export data, grants and users are the DBA's)
-- COMMIT: Chinook_Oracle.sql line 15852: not schema; skipped (data moves with export data, grants and users are the DBA's)
