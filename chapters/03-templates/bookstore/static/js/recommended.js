// The Book module's script: clicking a cover highlights its book's details.
document.querySelectorAll('.book_image').forEach((cover) => {
  cover.addEventListener('click', () => {
    cover.parentElement.querySelector('.book_details').classList.toggle('expanded');
  });
});
document.documentElement.dataset.books = String(document.querySelectorAll('.book').length);
