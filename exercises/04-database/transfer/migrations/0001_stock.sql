-- How many copies of a book each warehouse holds; never fewer than none.
CREATE TABLE stock (
    warehouse TEXT PRIMARY KEY,
    quantity INTEGER NOT NULL CHECK (quantity >= 0)
);
INSERT INTO stock (warehouse, quantity) VALUES ('north', 10), ('south', 5), ('east', 0);
