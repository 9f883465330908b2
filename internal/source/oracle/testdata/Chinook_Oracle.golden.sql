-- TABLE public.album
CREATE TABLE "public"."album" (
    "albumid" numeric NOT NULL,
    "title" varchar(160) NOT NULL,
    "artistid" numeric NOT NULL,
    CONSTRAINT "pk_album" PRIMARY KEY ("albumid")
);

-- TABLE public.artist
CREATE TABLE "public"."artist" (
    "artistid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_artist" PRIMARY KEY ("artistid")
);

-- TABLE public.customer
CREATE TABLE "public"."customer" (
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

-- TABLE public.employee
CREATE TABLE "public"."employee" (
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

-- TABLE public.genre
CREATE TABLE "public"."genre" (
    "genreid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_genre" PRIMARY KEY ("genreid")
);

-- TABLE public.invoice
CREATE TABLE "public"."invoice" (
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

-- TABLE public.invoiceline
CREATE TABLE "public"."invoiceline" (
    "invoicelineid" numeric NOT NULL,
    "invoiceid" numeric NOT NULL,
    "trackid" numeric NOT NULL,
    "unitprice" numeric(10,2) NOT NULL,
    "quantity" numeric NOT NULL,
    CONSTRAINT "pk_invoiceline" PRIMARY KEY ("invoicelineid")
);

-- TABLE public.mediatype
CREATE TABLE "public"."mediatype" (
    "mediatypeid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_mediatype" PRIMARY KEY ("mediatypeid")
);

-- TABLE public.playlist
CREATE TABLE "public"."playlist" (
    "playlistid" numeric NOT NULL,
    "name" varchar(120),
    CONSTRAINT "pk_playlist" PRIMARY KEY ("playlistid")
);

-- TABLE public.playlisttrack
CREATE TABLE "public"."playlisttrack" (
    "playlistid" numeric NOT NULL,
    "trackid" numeric NOT NULL,
    CONSTRAINT "pk_playlisttrack" PRIMARY KEY ("playlistid", "trackid")
);

-- TABLE public.track
CREATE TABLE "public"."track" (
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

-- TABLE public.album
ALTER TABLE "public"."album" ADD CONSTRAINT "fk_albumartistid" FOREIGN KEY ("artistid") REFERENCES "public"."artist" ("artistid");

-- TABLE public.customer
ALTER TABLE "public"."customer" ADD CONSTRAINT "fk_customersupportrepid" FOREIGN KEY ("supportrepid") REFERENCES "public"."employee" ("employeeid");

-- TABLE public.employee
ALTER TABLE "public"."employee" ADD CONSTRAINT "fk_employeereportsto" FOREIGN KEY ("reportsto") REFERENCES "public"."employee" ("employeeid");

-- TABLE public.invoice
ALTER TABLE "public"."invoice" ADD CONSTRAINT "fk_invoicecustomerid" FOREIGN KEY ("customerid") REFERENCES "public"."customer" ("customerid");

-- TABLE public.invoiceline
ALTER TABLE "public"."invoiceline" ADD CONSTRAINT "fk_invoicelineinvoiceid" FOREIGN KEY ("invoiceid") REFERENCES "public"."invoice" ("invoiceid");

-- TABLE public.invoiceline
ALTER TABLE "public"."invoiceline" ADD CONSTRAINT "fk_invoicelinetrackid" FOREIGN KEY ("trackid") REFERENCES "public"."track" ("trackid");

-- TABLE public.playlisttrack
ALTER TABLE "public"."playlisttrack" ADD CONSTRAINT "fk_playlisttrackplaylistid" FOREIGN KEY ("playlistid") REFERENCES "public"."playlist" ("playlistid");

-- TABLE public.playlisttrack
ALTER TABLE "public"."playlisttrack" ADD CONSTRAINT "fk_playlisttracktrackid" FOREIGN KEY ("trackid") REFERENCES "public"."track" ("trackid");

-- TABLE public.track
ALTER TABLE "public"."track" ADD CONSTRAINT "fk_trackalbumid" FOREIGN KEY ("albumid") REFERENCES "public"."album" ("albumid");

-- TABLE public.track
ALTER TABLE "public"."track" ADD CONSTRAINT "fk_trackgenreid" FOREIGN KEY ("genreid") REFERENCES "public"."genre" ("genreid");

-- TABLE public.track
ALTER TABLE "public"."track" ADD CONSTRAINT "fk_trackmediatypeid" FOREIGN KEY ("mediatypeid") REFERENCES "public"."mediatype" ("mediatypeid");

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
