-- Each username once: the database refuses a second row with the same one, whoever inserts it.
CREATE UNIQUE INDEX users_username ON users (username);
