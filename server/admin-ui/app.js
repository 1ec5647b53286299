// The operators' dashboard: plain browser JavaScript over the admin API (/admin/v1), with
// Chart.js served by this same server. The operator key is pasted once and kept in localStorage;
// every request sends it as `Authorization: Bearer <key>`. Everything is read-only except the
// rewards review's release and void, which need a key with the write scope.
(function () {
  'use strict';
  var KEY_STORE = 'jizan.adminKey';
  var CAMPAIGN_STORE = 'jizan.adminCampaign';
  var $ = function (id) { return document.getElementById(id); };
  var charts = {};
  /** Campaign names by id, from the campaign list: the rewards review spans every campaign. */
  var campaignNames = {};
  var STAGE_LABELS = { shares: '分享卡片', opens: '打开', openers: '独立打开者', liked: '点赞', joinedTeam: '入队', groupBuy: '开团/参团', paid: '支付' };

  function status(text, isError) {
    $('status').textContent = text || '';
    $('status').className = isError ? 'error' : '';
  }

  /** `body`, when given, is sent as JSON with POST. */
  function api(path, body) {
    var init = { headers: { authorization: 'Bearer ' + localStorage.getItem(KEY_STORE) } };
    if (body !== undefined) {
      init.method = 'POST';
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch('/admin/v1' + path, init).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) {
          var err = new Error((body.error && body.error.message) || res.statusText);
          err.status = res.status;
          throw err;
        }
        return body;
      });
    });
  }

  /** Every page of a cursor-paged list, up to `maxPages`. */
  function allPages(path, maxPages) {
    var items = [];
    function next(cursor, left) {
      var sep = path.indexOf('?') < 0 ? '?' : '&';
      return api(path + sep + 'limit=100' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '')).then(function (page) {
        items = items.concat(page.items);
        return page.nextCursor && left > 1 ? next(page.nextCursor, left - 1) : items;
      });
    }
    return next(null, maxPages || 20);
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function fen(n) { return '¥' + (n / 100).toFixed(2); }
  function pct(r) { return r === null || r === undefined ? '—' : (r * 100).toFixed(1) + '%'; }

  // Money reads as ¥12.34, and a count may carry its rate (5 (62.5%)): columns of them are number columns too.
  var NUMERIC = /^[-+]?¥?[\d.,]+%?( \((?:[\d.]+%|—)\))?$|^—$/;

  /** A table whose number columns (every cell a number, an amount, a rate or —) line up on the right. */
  function table(id, head, rows) {
    var t = $(id);
    t.textContent = '';
    var numeric = head.map(function (_, i) {
      return rows.length > 0 && rows.every(function (r) { var c = r[i]; return c instanceof Node ? NUMERIC.test(c.textContent) : NUMERIC.test(String(c)); });
    });
    var tr = el('tr');
    head.forEach(function (h, i) { tr.appendChild(el('th', h, numeric[i] ? { class: 'num' } : null)); });
    t.appendChild(tr);
    if (rows.length === 0) {
      var empty = el('tr');
      empty.appendChild(el('td', '暂无数据', { colspan: String(head.length) }));
      t.appendChild(empty);
    }
    rows.forEach(function (cells) {
      var row = el('tr');
      cells.forEach(function (c, i) {
        var td = c instanceof Node ? c : el('td', c);
        if (numeric[i]) td.classList.add('num');
        row.appendChild(td);
      });
      t.appendChild(row);
    });
  }

  function chart(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new Chart($(id), config);
  }

  function renderOverview(o) {
    $('as-of').textContent = o.asOf ? '统计截至 ' + new Date(o.asOf).toLocaleString() : '尚未汇总';
    var g = o.groupBuys;
    var cards = [
      ['参与者', o.participants], ['队伍', o.teams], ['分享卡片', o.shares], ['打开', o.opens], ['点赞', o.likes],
      ['发放能量', o.energyIssued], ['开团', g.opened], ['成团', g.succeeded + (g.succeededWithVirtualSeats ? '（含模拟 ' + g.succeededWithVirtualSeats + '）' : '')],
      ['失败团', g.failed], ['进行中团', g.open], ['模拟席位', g.virtualSeats],
      ['红包已领', o.redPackets.claimed], ['瓜分红包', o.redPackets.poolShares], ['红包已发', fen(o.redPackets.paid)],
      ['预算剩余', fen(o.redPackets.budgetLeft) + ' / ' + fen(o.redPackets.budget)],
      ['到账 / 待发 / 失败', o.redPackets.delivered + ' / ' + o.redPackets.pending + ' / ' + o.redPackets.failed],
    ];
    fillCards('overview', cards);
    var k = o.coupons;
    fillCards('coupons', [
      ['已发券', k.issued], ['已发面额', fen(k.issuedValue)], ['已核销', k.redeemed], ['核销抵扣', fen(k.redeemedValue)],
      ['已过期', k.expired], ['核销率', pct(k.redemptionRate)], ['带券 GMV', fen(k.gmv)],
    ]);
  }

  function fillCards(id, cards) {
    var box = $(id);
    box.textContent = '';
    cards.forEach(function (c) {
      var card = el('div', null, { class: 'card' });
      card.appendChild(el('b', c[1]));
      card.appendChild(el('span', c[0]));
      box.appendChild(card);
    });
  }

  function renderFunnel(f) {
    chart('funnel-chart', {
      type: 'bar',
      data: {
        labels: f.stages.map(function (s) { return STAGE_LABELS[s.key] || s.key; }),
        datasets: [{ label: '人数 / 次数', data: f.stages.map(function (s) { return s.count; }), backgroundColor: '#e4393c' }],
      },
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { afterLabel: function (ctx) { var s = f.stages[ctx.dataIndex]; return '较上一步 ' + pct(s.fromPrevious) + (s.fromOpeners === null ? '' : '，占打开者 ' + pct(s.fromOpeners)); } } },
        },
      },
    });
  }

  var CHANNEL_LABELS = { card: '聊天卡片', poster: '海报小程序码', moments: '朋友圈' };

  /** Each channel's opens and the funnel of the people it brought first, as counts with their share of its openers. */
  function renderChannels(f) {
    var keys = ['openers', 'liked', 'joinedTeam', 'groupBuy', 'paid'];
    table(
      'channels',
      ['渠道', '打开'].concat(keys.map(function (k) { return STAGE_LABELS[k]; })),
      (f.channels || []).map(function (c) {
        var byKey = {};
        c.stages.forEach(function (s) { byKey[s.key] = s; });
        return [CHANNEL_LABELS[c.channel] || c.channel, c.opens].concat(keys.map(function (k) {
          var s = byKey[k];
          if (!s) return '—';
          return k === 'openers' ? s.count : s.count + ' (' + pct(s.fromOpeners) + ')';
        }));
      }),
    );
  }

  function renderHourly(items) {
    var dots = items.length < 48 ? 3 : 0; // a line of one or two hours needs its points to be seen
    chart('hourly-chart', {
      type: 'line',
      data: {
        labels: items.map(function (h) { var d = new Date(h.hour); return (d.getMonth() + 1) + '/' + d.getDate() + ' ' + d.getHours() + ':00'; }),
        datasets: [
          { label: '点赞', data: items.map(function (h) { return h.likes; }), borderColor: '#e4393c', backgroundColor: '#e4393c', pointRadius: dots, borderWidth: 1.5 },
          { label: '新参与者', data: items.map(function (h) { return h.newParticipants; }), borderColor: '#1f6feb', backgroundColor: '#1f6feb', pointRadius: dots, borderWidth: 1.5 },
        ],
      },
      options: { scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } } },
    });
  }

  function renderK(items) {
    chart('k-chart', {
      type: 'bar',
      data: {
        labels: items.map(function (d) { return d.day.slice(5); }),
        datasets: [
          { type: 'line', label: 'K 因子', data: items.map(function (d) { return d.kFactor; }), borderColor: '#e4393c', backgroundColor: '#e4393c', yAxisID: 'k', pointRadius: 3 },
          { label: '新参与者', data: items.map(function (d) { return d.newParticipants; }), backgroundColor: 'rgba(31,111,235,0.35)', yAxisID: 'n' },
        ],
      },
      options: { scales: { k: { position: 'left', beginAtZero: true }, n: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } } },
    });
  }

  function heat(rate) {
    var td = el('td', pct(rate), { class: 'heat' });
    if (rate !== null && rate !== undefined) td.style.background = 'rgba(228,57,60,' + Math.min(1, 0.08 + rate * 0.9).toFixed(2) + ')';
    return td;
  }

  function renderRetention(items) {
    table('retention', ['首次行动日', '人数', '次日', '7 日', '30 日'], items.map(function (c) {
      return [c.day, c.users, heat(c.day1Rate), heat(c.day7Rate), heat(c.day30Rate)];
    }));
  }

  function renderInviters(items) {
    table('inviters', ['#', '用户', '直接邀请'], items.map(function (u, i) { return [String(i + 1), u.nickname, u.invited]; }));
  }

  var FRAUD_KINDS = { like_ring: '互赞圈', team_ring: '队内互赞', burst: '集中刷赞', shared_device: '同设备多号', shared_ip: '同IP多号' };

  /** One line saying what the scan saw, per kind of flag. */
  function evidenceOf(f) {
    var e = f.evidence || {};
    switch (f.kind) {
      case 'like_ring': return (e.members ? e.members.length : '?') + ' 人互赞 ' + e.insideLikes + ' 次，圈内占 ' + pct(e.insideShare) + '，基线 ×' + e.rateOverBase;
      case 'team_ring': return '点赞 ' + e.given + ' 次，给队友 ' + pct(e.teammateShare);
      case 'burst': return e.windowMinutes + ' 分钟内被赞 ' + e.likes + ' 次';
      case 'shared_device': return '设备 ' + e.deviceId + ' 上 ' + e.accounts + ' 个账号';
      case 'shared_ip': return 'IP ' + e.ip + ' 上 ' + e.accounts + ' 个账号';
      default: return JSON.stringify(e);
    }
  }

  function renderFraud(page) {
    if (page === null) return table('fraud', ['风控队列暂不可用'], []);
    $('fraud-count').textContent = page.nextCursor ? '（前 ' + page.items.length + ' 条）' : '（' + page.items.length + ' 条待审）';
    table('fraud', ['#', '类型', '用户', '证据', '发现时间'], page.items.map(function (f) {
      return [String(f.id), FRAUD_KINDS[f.kind] || f.kind, f.nickname, evidenceOf(f), new Date(f.detectedAt).toLocaleString()];
    }));
  }

  /** The review's reasons come as English clauses joined by "; " (redpacket-rules reviewReason): each said in Chinese, unknown ones as they are. */
  function reasonText(reason) {
    return reason.split('; ').map(function (part) {
      var m;
      if ((m = /^open fraud flags: (.+)$/.exec(part))) return '风控标记：' + m[1].split(', ').map(function (k) { return FRAUD_KINDS[k] || k; }).join('、');
      if ((m = /^(\d+) of (\d+) likes from flagged accounts$/.exec(part))) return m[2] + ' 个赞中 ' + m[1] + ' 个来自被标记账号';
      if ((m = /^(\d+) other account\(s\) of the same person/.exec(part))) return '同一人另有 ' + m[1] + ' 个账号在本活动获奖';
      if ((m = /^platform risk rank (\d+)$/.exec(part))) return '平台风险等级 ' + m[1];
      return part;
    }).join('；');
  }

  function renderRewards(page) {
    var items = page.items;
    $('review-count').textContent = '（' + items.length + (items.length >= 100 ? '+' : '') + ' 条待审）';
    table('rewards', ['#', '用户', '活动', '档位', '金额', '能量', '待审原因', '领取时间', '暂扣至', '操作'], items.map(function (r) {
      var actions = el('td', null, { class: 'actions' });
      var release = el('button', '放行', { type: 'button', 'data-action': 'release', 'data-reward': r.id });
      var voidIt = el('button', '作废', { type: 'button', class: 'quiet', 'data-action': 'void', 'data-reward': r.id });
      [release, voidIt].forEach(function (b) {
        b.addEventListener('click', function () { decide(r, b.getAttribute('data-action'), [release, voidIt]); });
        actions.appendChild(b);
      });
      var why = el('td', reasonText(r.reason), { title: r.reason, class: 'reason' });
      return [
        String(r.id), r.nickname, campaignNames[r.campaignId] || r.campaignId.slice(0, 8),
        r.kind === 'pool' ? '瓜分' : '第 ' + r.tier + ' 档', fen(r.amount), r.energy, why,
        new Date(r.createdAt).toLocaleString(), r.holdUntil ? new Date(r.holdUntil).toLocaleString() : '—', actions,
      ];
    }));
    document.body.setAttribute('data-rewards', String(items.length));
  }

  function reviewResult(text, isError) {
    $('review-result').textContent = text;
    $('review-result').className = isError ? 'error' : 'ok';
  }

  function loadRewards() {
    return api('/rewards?status=review').then(renderRewards);
  }

  /**
   * Release or void one reward: the operator's note goes to the audit log (optional; Cancel
   * decides nothing). The answer, or the server's message when it refuses (no write scope, already
   * decided in another tab…), shows above the list, which is then read again with the overview.
   */
  function decide(r, action, buttons) {
    var verb = action === 'release' ? '放行' : '作废';
    var note = window.prompt(verb + ' #' + r.id + '（' + r.nickname + ' ' + fen(r.amount) + '）？备注写入审计，可留空：', '');
    if (note === null) return;
    buttons.forEach(function (b) { b.disabled = true; });
    note = note.trim();
    return api('/rewards/' + r.id + '/' + action, note ? { note: note } : {}).then(function (res) {
      reviewResult(action === 'release'
        ? '已放行 #' + r.id + '（' + r.nickname + ' ' + fen(r.amount) + '），下一轮转账发出'
        : '已作废 #' + r.id + '（' + r.nickname + '），' + fen(res.returned) + ' 退回预算');
    }, function (err) {
      reviewResult(verb + ' #' + r.id + ' 失败：' + err.message, true);
    }).then(function () {
      var id = $('campaign').value;
      return Promise.all([loadRewards(), id ? api('/campaigns/' + id + '/overview').then(renderOverview) : null]);
    }).catch(fail);
  }

  var ORDER_STATUS = { pending_payment: '待付款', paid: '已付款', grouped: '已成团', refunding: '退款中', refunded: '已退款', cancelled: '已取消' };
  var ANOMALY_KINDS = { unknown_order: '未知订单', amount_mismatch: '金额不符', payer_mismatch: '付款人不符' };

  function renderOrders(page) {
    table('orders', ['订单', '状态', '金额', '已付', '已退', '下单时间'], page.items.map(function (o) {
      return [o.id.slice(0, 8), ORDER_STATUS[o.status] || o.status, fen(o.amount), fen(o.paidAmount), fen(o.refundedAmount), new Date(o.createdAt).toLocaleString()];
    }));
  }

  var TEMPLATE_LABELS = {
    group_succeeded: '拼团成功', group_failed: '拼团失败退款', group_reminder: '还差 N 人提醒', reward_ready: '奖励到账',
    transfer_confirm: '确认收款', friend_liked: '好友助力', campaign_again: '活动再开',
  };

  /** Subscribe messages per template: what the platform took, refused, what stayed in the inbox only. */
  function renderMessages(m) {
    table('messages', ['消息', '模板', '发送', '送达', '拒收', '失败', '仅站内', '待发'], m.templates.map(function (t) {
      return [TEMPLATE_LABELS[t.key] || t.key, t.templateId || '—（未配置）', t.sent, t.delivered, t.refused, t.failed, t.inboxOnly, t.pending];
    }));
  }

  function renderStuckRefunds(list) {
    table('stuck-refunds', ['退款', '订单', '金额', '尝试', '最后错误'], list.items.map(function (r) {
      return [r.id.slice(0, 8), r.orderId.slice(0, 8), fen(r.amount), String(r.attempts), r.lastError || '—'];
    }));
  }

  function renderAnomalies(page) {
    table('anomalies', ['类型', '平台交易号', '金额', '发现时间'], page.items.map(function (a) {
      return [ANOMALY_KINDS[a.kind] || a.kind, a.transactionId, fen(a.amount), new Date(a.createdAt).toLocaleString()];
    }));
  }

  /** The CSV export needs the key too, so it is fetched and handed to the browser as a file. */
  function downloadOrdersCsv(e) {
    e.preventDefault();
    fetch('/admin/v1/orders?format=csv&campaignId=' + encodeURIComponent($('campaign').value), {
      headers: { authorization: 'Bearer ' + localStorage.getItem(KEY_STORE) },
    }).then(function (res) {
      if (!res.ok) throw new Error(res.statusText);
      return res.blob();
    }).then(function (blob) {
      var a = el('a', null, { href: URL.createObjectURL(blob), download: 'orders.csv' });
      a.click();
    }, fail);
  }

  function load() {
    var id = $('campaign').value;
    if (!id) return;
    localStorage.setItem(CAMPAIGN_STORE, id);
    status('加载中…');
    var c = '/campaigns/' + id;
    return Promise.all([
      api(c + '/overview').then(renderOverview),
      api(c + '/funnel').then(function (f) { renderFunnel(f); renderChannels(f); }),
      allPages(c + '/hourly', 20).then(renderHourly),
      allPages(c + '/k-factor', 5).then(renderK),
      allPages(c + '/retention', 5).then(renderRetention),
      api(c + '/top-inviters?limit=20').then(function (p) { renderInviters(p.items); }),
      api('/fraud/flags?status=open&limit=50').then(renderFraud, function () { renderFraud(null); }),
      loadRewards(),
      api('/orders?limit=50&campaignId=' + id).then(renderOrders),
      api('/refunds?status=stuck').then(renderStuckRefunds),
      api('/payment-anomalies?limit=50').then(renderAnomalies),
      api('/messages').then(renderMessages),
    ]).then(function () {
      status('已更新 ' + new Date().toLocaleTimeString());
      document.body.setAttribute('data-loaded', id);
    }, fail);
  }

  function fail(err) {
    if (err.status === 401 || err.status === 403) {
      localStorage.removeItem(KEY_STORE);
      showKeyForm();
      status('密钥无效：' + err.message, true);
    } else status('出错了：' + err.message, true);
  }

  function showKeyForm() {
    $('key-form').hidden = false;
    $('controls').hidden = true;
    $('board').hidden = true;
  }

  function start() {
    $('key-form').hidden = true;
    $('controls').hidden = false;
    status('加载活动…');
    return allPages('/campaigns', 5).then(function (campaigns) {
      var select = $('campaign');
      select.textContent = '';
      campaigns.forEach(function (c) { campaignNames[c.id] = c.name; });
      campaigns.forEach(function (c) { select.appendChild(el('option', c.name + ' · ' + (c.state || '') + ' · ' + c.startsAt.slice(0, 10), { value: c.id })); });
      var remembered = localStorage.getItem(CAMPAIGN_STORE);
      var wanted = new URLSearchParams(location.search).get('campaign') || remembered;
      if (wanted && campaigns.some(function (c) { return c.id === wanted; })) select.value = wanted;
      $('board').hidden = false;
      if (campaigns.length === 0) return status('还没有活动');
      return load();
    }, fail);
  }

  $('key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    localStorage.setItem(KEY_STORE, $('key').value.trim());
    $('key').value = '';
    start();
  });
  $('campaign').addEventListener('change', load);
  $('orders-csv').addEventListener('click', downloadOrdersCsv);
  $('reload').addEventListener('click', load);
  $('forget').addEventListener('click', function () {
    localStorage.removeItem(KEY_STORE);
    showKeyForm();
    status('');
  });

  if (localStorage.getItem(KEY_STORE)) start();
  else showKeyForm();
})();
