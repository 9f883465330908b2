-- SEQUENCE locations_seq
CREATE SEQUENCE "locations_seq" INCREMENT BY 100 MAXVALUE 9900 START WITH 3300;

-- SEQUENCE departments_seq
CREATE SEQUENCE "departments_seq" INCREMENT BY 10 MAXVALUE 9990 START WITH 280;

-- SEQUENCE employees_seq
CREATE SEQUENCE "employees_seq" INCREMENT BY 1 START WITH 207;

-- TABLE regions
CREATE TABLE "regions" (
    "region_id" numeric NOT NULL,
    "region_name" varchar(25),
    CONSTRAINT "reg_id_pk" PRIMARY KEY ("region_id")
);

-- TABLE countries
-- yb-voyager: caveat ORACLE_TABLE: index-organised in Oracle (ORGANIZATION INDEX): an ordinary table with its primary key here
CREATE TABLE "countries" (
    "country_id" char(2) NOT NULL,
    "country_name" varchar(60),
    "region_id" numeric,
    CONSTRAINT "country_c_id_pk" PRIMARY KEY ("country_id")
);

-- TABLE locations
CREATE TABLE "locations" (
    "location_id" smallint,
    "street_address" varchar(40),
    "postal_code" varchar(12),
    "city" varchar(30) NOT NULL,
    "state_province" varchar(25),
    "country_id" char(2),
    CONSTRAINT "loc_id_pk" PRIMARY KEY ("location_id")
);

-- TABLE departments
CREATE TABLE "departments" (
    "department_id" smallint,
    "department_name" varchar(30) NOT NULL,
    "manager_id" integer,
    "location_id" smallint,
    CONSTRAINT "dept_id_pk" PRIMARY KEY ("department_id")
);

-- TABLE jobs
CREATE TABLE "jobs" (
    "job_id" varchar(10),
    "job_title" varchar(35) NOT NULL,
    "min_salary" integer,
    "max_salary" integer,
    CONSTRAINT "job_id_pk" PRIMARY KEY ("job_id")
);

-- TABLE employees
CREATE TABLE "employees" (
    "employee_id" integer,
    "first_name" varchar(20),
    "last_name" varchar(25) NOT NULL,
    "email" varchar(25) NOT NULL,
    "phone_number" varchar(20),
    "hire_date" timestamp(0) without time zone NOT NULL,
    "job_id" varchar(10) NOT NULL,
    "salary" numeric(8,2),
    "commission_pct" numeric(2,2),
    "manager_id" integer,
    "department_id" smallint,
    CONSTRAINT "emp_salary_min" CHECK (salary > 0),
    CONSTRAINT "emp_email_uk" UNIQUE ("email"),
    CONSTRAINT "emp_emp_id_pk" PRIMARY KEY ("employee_id")
);

-- TABLE job_history
CREATE TABLE "job_history" (
    "employee_id" integer NOT NULL,
    "start_date" timestamp(0) without time zone NOT NULL,
    "end_date" timestamp(0) without time zone NOT NULL,
    "job_id" varchar(10) NOT NULL,
    "department_id" smallint,
    CONSTRAINT "jhist_date_interval" CHECK (end_date > start_date),
    CONSTRAINT "jhist_emp_id_st_date_pk" PRIMARY KEY ("employee_id", "start_date")
);

-- TABLE countries
ALTER TABLE "countries" ADD CONSTRAINT "countr_reg_fk" FOREIGN KEY ("region_id") REFERENCES "regions" ("region_id");

-- TABLE locations
ALTER TABLE "locations" ADD CONSTRAINT "loc_c_id_fk" FOREIGN KEY ("country_id") REFERENCES "countries" ("country_id");

-- TABLE departments
ALTER TABLE "departments" ADD CONSTRAINT "dept_loc_fk" FOREIGN KEY ("location_id") REFERENCES "locations" ("location_id");

-- TABLE employees
ALTER TABLE "employees" ADD CONSTRAINT "emp_dept_fk" FOREIGN KEY ("department_id") REFERENCES "departments" ("department_id");

-- TABLE employees
ALTER TABLE "employees" ADD CONSTRAINT "emp_job_fk" FOREIGN KEY ("job_id") REFERENCES "jobs" ("job_id");

-- TABLE employees
ALTER TABLE "employees" ADD CONSTRAINT "emp_manager_fk" FOREIGN KEY ("manager_id") REFERENCES "employees" ("employee_id");

-- TABLE departments
ALTER TABLE "departments" ADD CONSTRAINT "dept_mgr_fk" FOREIGN KEY ("manager_id") REFERENCES "employees" ("employee_id");

-- TABLE job_history
ALTER TABLE "job_history" ADD CONSTRAINT "jhist_job_fk" FOREIGN KEY ("job_id") REFERENCES "jobs" ("job_id");

-- TABLE job_history
ALTER TABLE "job_history" ADD CONSTRAINT "jhist_emp_fk" FOREIGN KEY ("employee_id") REFERENCES "employees" ("employee_id");

-- TABLE job_history
ALTER TABLE "job_history" ADD CONSTRAINT "jhist_dept_fk" FOREIGN KEY ("department_id") REFERENCES "departments" ("department_id");

-- INDEX emp_department_ix
CREATE INDEX "emp_department_ix" ON "employees" ("department_id");

-- INDEX emp_job_ix
CREATE INDEX "emp_job_ix" ON "employees" ("job_id");

-- INDEX emp_manager_ix
CREATE INDEX "emp_manager_ix" ON "employees" ("manager_id");

-- INDEX emp_name_ix
CREATE INDEX "emp_name_ix" ON "employees" ("last_name", "first_name");

-- INDEX dept_location_ix
CREATE INDEX "dept_location_ix" ON "departments" ("location_id");

-- INDEX jhist_job_ix
CREATE INDEX "jhist_job_ix" ON "job_history" ("job_id");

-- INDEX jhist_employee_ix
CREATE INDEX "jhist_employee_ix" ON "job_history" ("employee_id");

-- INDEX jhist_department_ix
CREATE INDEX "jhist_department_ix" ON "job_history" ("department_id");

-- INDEX loc_city_ix
CREATE INDEX "loc_city_ix" ON "locations" ("city");

-- INDEX loc_state_province_ix
CREATE INDEX "loc_state_province_ix" ON "locations" ("state_province");

-- INDEX loc_country_ix
CREATE INDEX "loc_country_ix" ON "locations" ("country_id");

-- VIEW emp_details_view
CREATE VIEW "emp_details_view" ("employee_id", "job_id", "manager_id", "department_id", "location_id", "country_id", "first_name", "last_name", "salary", "commission_pct", "department_name", "job_title", "city", "state_province", "country_name", "region_name") AS
SELECT
  e.employee_id, 
  e.job_id, 
  e.manager_id, 
  e.department_id,
  d.location_id,
  l.country_id,
  e.first_name,
  e.last_name,
  e.salary,
  e.commission_pct,
  d.department_name,
  j.job_title,
  l.city,
  l.state_province,
  c.country_name,
  r.region_name
FROM
  employees e,
  departments d,
  jobs j,
  locations l,
  countries c,
  regions r
WHERE e.department_id = d.department_id
  AND d.location_id = l.location_id
  AND l.country_id = c.country_id
  AND c.region_id = r.region_id
  AND j.job_id = e.job_id;

-- notes
-- COMMENT: 42 COMMENT statements not exported (--comments-on-objects is false, Voyager's default)
-- TABLE countries: index-organised in Oracle (ORGANIZATION INDEX): an ordinary table with its primary key here
-- INDEX reg_id_pk: hr_create.sql line 69: backs PRIMARY KEY REG_ID_PK of regions; the constraint creates its own index
-- INDEX loc_id_pk: hr_create.sql line 116: backs PRIMARY KEY LOC_ID_PK of locations; the constraint creates its own index
-- INDEX dept_id_pk: hr_create.sql line 151: backs PRIMARY KEY DEPT_ID_PK of departments; the constraint creates its own index
-- INDEX job_id_pk: hr_create.sql line 186: backs PRIMARY KEY JOB_ID_PK of jobs; the constraint creates its own index
-- INDEX emp_emp_id_pk: hr_create.sql line 223: backs PRIMARY KEY EMP_EMP_ID_PK of employees; the constraint creates its own index
-- INDEX jhist_emp_id_st_date_pk: hr_create.sql line 279: backs PRIMARY KEY JHIST_EMP_ID_ST_DATE_PK of job_history; the constraint creates its own index
-- VIEW emp_details_view: WITH READ ONLY: PostgreSQL has no such clause; revoke INSERT, UPDATE, DELETE on the view to keep it read-only
