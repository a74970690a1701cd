// The page's behaviour: it says that the script was loaded and ran.
const status = document.getElementById('status');
status.textContent = 'JavaScript is on: static/js/site.js wrote this line.';
status.classList.add('on');
