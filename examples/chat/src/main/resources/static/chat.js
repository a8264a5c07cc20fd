// The chat sandbox page: one pane per channel fed live by Realplexor (the browser listens on
// the WAIT line directly), a form that posts to the back end's /send, and the online list
// polled from /online. User text only ever reaches the page through textContent.
(function () {
  'use strict';

  var CHANNEL = /^\w{1,40}$/;     // the back end's rule: chat_ + name must be a Realplexor id
  var MAX_SHOWN = 200;            // messages kept per pane
  var ONLINE_EVERY_MS = 3000;

  var $ = function (id) { return document.getElementById(id); };
  var channels = new Map();       // name -> { pane, target }
  var rpl;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function showStatus(node, text, isError) {
    node.textContent = text;
    node.classList.toggle('error', !!isError);
  }

  function formatTime(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  // One chat message: {author, text, time} as published by the back end. Anything else that
  // reaches the channel (another publisher) is shown as its JSON.
  function renderMessage(data) {
    var item = el('li', 'msg');
    var meta = el('div', 'meta');
    var ok = data && typeof data === 'object' && typeof data.text === 'string';
    meta.appendChild(el('span', 'author', ok ? String(data.author || 'anonymous') : 'raw'));
    if (ok && typeof data.time === 'number') {
      var time = el('time', 'time', formatTime(data.time));
      time.dateTime = new Date(data.time).toISOString();
      meta.appendChild(time);
    }
    item.appendChild(meta);
    item.appendChild(el('p', 'text', ok ? data.text : JSON.stringify(data)));
    return item;
  }

  function receive(name, data) {
    var channel = channels.get(name);
    if (!channel) return;
    var list = channel.pane.querySelector('.messages');
    var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 30;
    list.appendChild(renderMessage(data));
    while (list.children.length > MAX_SHOWN) list.removeChild(list.firstChild);
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function addChannel(name) {
    if (channels.has(name)) {
      var pane = channels.get(name).pane;
      pane.classList.remove('flash');
      void pane.offsetWidth; // restart the animation
      pane.classList.add('flash');
      return;
    }
    var pane = $('pane-template').content.firstElementChild.cloneNode(true);
    pane.dataset.channel = name;
    pane.querySelector('.pane-title').textContent = name;
    var remove = pane.querySelector('.remove');
    remove.setAttribute('aria-label', 'Remove channel ' + name);
    remove.addEventListener('click', function () { removeChannel(name); });
    $('panes').appendChild(pane);

    var target = el('label');
    target.dataset.channel = name;
    var box = el('input');
    box.type = 'checkbox';
    box.name = 'channels';
    box.value = name;
    box.checked = true;
    target.appendChild(box);
    target.appendChild(document.createTextNode(name));
    $('targets').appendChild(target);

    channels.set(name, { pane: pane, target: target });
    // From cursor 0: the page first gets what the server still holds for the channel (its
    // recent history), and nothing posted while the connection is being made is lost.
    rpl.setCursor(name, 0)
      .subscribe(name, function (data) { receive(name, data); })
      .execute();
  }

  function removeChannel(name) {
    var channel = channels.get(name);
    if (!channel) return;
    rpl.unsubscribe(name, null).execute();
    channels.delete(name);
    channel.pane.remove();
    channel.target.remove();
  }

  function onAdd(event) {
    event.preventDefault();
    var input = $('new-channel');
    var name = input.value.trim();
    if (!CHANNEL.test(name)) {
      input.setCustomValidity('Use 1 to 40 letters, digits or _');
      input.reportValidity();
      return;
    }
    addChannel(name);
    input.value = '';
  }

  function onSend(event) {
    event.preventDefault();
    var form = event.target;
    var status = $('send-status');
    var body = new URLSearchParams(new FormData(form));
    if (!body.getAll('channels').length) {
      showStatus(status, 'Tick at least one channel.', true);
      return;
    }
    try { localStorage.setItem('chat.author', $('author').value); } catch (e) { /* storage off */ }
    $('send').disabled = true;
    fetch('send', { method: 'POST', body: body })
      .then(function (res) {
        return res.json().then(function (answer) {
          if (!res.ok) throw new Error(answer.error || ('HTTP ' + res.status));
          return answer;
        });
      })
      .then(function (answer) {
        showStatus(status, 'Sent to ' + answer.channels.join(', ') + '.');
        $('text').value = '';
        $('text').focus();
      })
      .catch(function (e) { showStatus(status, 'Not sent: ' + e.message, true); })
      .then(function () { $('send').disabled = false; });
  }

  function refreshOnline() {
    fetch('online', { cache: 'no-store' })
      .then(function (res) {
        return res.json().then(function (answer) {
          if (!res.ok) throw new Error(answer.error || ('HTTP ' + res.status));
          return answer;
        });
      })
      .then(function (online) {
        var list = $('online');
        var names = Object.keys(online);
        list.replaceChildren.apply(list, names.map(function (name) {
          var n = online[name];
          var item = el('li', n ? '' : 'leaving');
          item.dataset.channel = name;
          item.appendChild(el('span', 'name', name));
          item.appendChild(el('span', 'count', n ? n + (n === 1 ? ' listener' : ' listeners') : 'leaving'));
          return item;
        }));
        showStatus($('online-status'), names.length
          ? 'Updated ' + formatTime(Date.now()) + '.'
          : 'No channel is online.');
      })
      .catch(function (e) { showStatus($('online-status'), 'Cannot tell: ' + e.message, true); })
      .then(function () { setTimeout(refreshOnline, ONLINE_EVERY_MS); });
  }

  function start(config) {
    $('wait-url').textContent = config.waitUrl;
    rpl = new Dklab_Realplexor(config.waitUrl, config.namespace);
    try { $('author').value = localStorage.getItem('chat.author') || ''; } catch (e) { /* storage off */ }
    $('new-channel').addEventListener('input', function () { this.setCustomValidity(''); });
    $('add-form').addEventListener('submit', onAdd);
    $('send-form').addEventListener('submit', onSend);
    ['Alpha', 'Beta'].forEach(addChannel);
    refreshOnline();
  }

  fetch('config.json')
    .then(function (res) { return res.json(); })
    .then(start)
    .catch(function (e) { showStatus($('send-status'), 'Cannot start: ' + e.message, true); });
})();
