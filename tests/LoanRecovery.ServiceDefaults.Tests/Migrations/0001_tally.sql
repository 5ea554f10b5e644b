CREATE TABLE tally (
    key   text PRIMARY KEY,
    count integer NOT NULL
);
