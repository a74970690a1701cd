-- Chapter 3's three books. Descriptions are plain text here: the pages escape them, as they do
-- every description a visitor types into the form.
INSERT INTO books (isbn, title, subtitle, image, author, date_added, date_released, description) VALUES
('978-0-596-52932-1', 'Programming Collective Intelligence', 'Building Smart Web 2.0 Applications',
 '/static/images/collective_intelligence.svg', 'Toby Segaran', 1310248056, 'August 2007',
 'This fascinating book demonstrates how you can build web applications to mine the enormous amount of data created by people on the Internet. With the sophisticated algorithms in this book, you can write smart programs to access interesting datasets from other web sites, collect data from users of your own applications, and analyze and understand the data once you''ve found it.'),
('978-0-596-52926-0', 'RESTful Web Services', 'Web services for the real world',
 '/static/images/restful_web_services.svg', 'Leonard Richardson, Sam Ruby', 1311148056, 'May 2007',
 'You''ve built web sites that can be used by humans. But can you also build web sites that are usable by machines? That''s where the future lies, and that''s what this book shows you how to do. Today''s web service technologies have lost sight of the simplicity that made the Web successful. This book explains how to put the "Web" back into web services with REST, the architectural style that drives the Web.'),
('978-1-4493-8267-4', 'Head First Python', '',
 '/static/images/head_first_python.svg', 'Paul Barry', 1311348056, 'November 2010',
 'Ever wished you could learn Python from a book? Head First Python is a complete learning experience for Python that helps you learn the language through a unique method that goes beyond syntax and how-to manuals, helping you understand how to be a great Python programmer. You''ll quickly learn the language''s fundamentals, then move onto persistence, exception handling, web development, SQLite, data wrangling, and Google App Engine. You''ll also learn how to write mobile apps for Android, all thanks to the power that Python gives you.');
