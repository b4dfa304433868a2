"""Channel URLs, masking, and the senders against real peers on 127.0.0.1 (HTTP, fake robots, SMTP)."""

from __future__ import annotations

import email
import email.policy
import json

import pytest
from reminder_peers import DING_OK, FEISHU_OK, dingtalk_check, feishu_check

from scheduler.errors import UsageError
from scheduler.reminders.masking import mask_url, redact
from scheduler.reminders.messages import Message
from scheduler.reminders.robots import interpret, parse_robot
from scheduler.reminders.senders import channel_kind, sender_for

MSG = Message("【提醒】支部例会 1月12日（周一）14:30",
              "【提醒】3天后 2026年1月12日（周一）14:30 支部例会 · 机关党支部 · 地点：三楼会议室\n备注：带好笔记本")


# ---------------------------------------------------------------------------- URL forms

@pytest.mark.parametrize("url, kind, endpoint, token, secret", [
    pytest.param("dingtalk://TOKEN123", "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123",
                 "TOKEN123", None, id="dingtalk-token"),
    pytest.param("dingtalk://SECabc@TOKEN123", "dingtalk",
                 "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123", "TOKEN123", "SECabc",
                 id="dingtalk-apprise-secret-at-token"),
    pytest.param("dingtalk://TOKEN123?secret=SECabc", "dingtalk",
                 "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123", "TOKEN123", "SECabc",
                 id="dingtalk-secret-param"),
    pytest.param("https://oapi.dingtalk.com/robot/send?access_token=TOKEN123&secret=SECabc", "dingtalk",
                 "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123", "TOKEN123", "SECabc",
                 id="dingtalk-webhook-url-secret-stripped"),
    pytest.param("dingtalk+http://127.0.0.1:8080/robot/send?access_token=T1&secret=S1", "dingtalk",
                 "http://127.0.0.1:8080/robot/send?access_token=T1", "T1", "S1", id="dingtalk-own-address"),
    pytest.param("wecom://KEY-1", "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-1", "KEY-1",
                 None, id="wecom"),
    pytest.param("wecombot://KEY-1", "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-1",
                 "KEY-1", None, id="wecom-apprise-scheme"),
    pytest.param("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-1", "wecom",
                 "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-1", "KEY-1", None, id="wecom-webhook-url"),
    pytest.param("feishu://HOOK-1?secret=FS", "feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/HOOK-1",
                 "HOOK-1", "FS", id="feishu"),
    pytest.param("lark://HOOK-1", "feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/HOOK-1", "HOOK-1",
                 None, id="lark"),
    pytest.param("https://open.feishu.cn/open-apis/bot/v2/hook/HOOK-1?secret=FS", "feishu",
                 "https://open.feishu.cn/open-apis/bot/v2/hook/HOOK-1", "HOOK-1", "FS", id="feishu-webhook-url"),
])
def test_parse_robot(url, kind, endpoint, token, secret):
    r = parse_robot(url)
    assert (r.kind, r.endpoint, r.token, r.secret) == (kind, endpoint, token, secret)


def test_parse_robot_options():
    r = parse_robot("dingtalk://T?keyword=提醒&at=13800000000,13900000000&atall=yes")
    assert (r.keyword, r.at_mobiles, r.at_all) == ("提醒", ("13800000000", "13900000000"), True)


@pytest.mark.parametrize("url", ["json://127.0.0.1/x", "mailto://a@b.cn", "https://example.org/hook", "not a url"],
                         ids=["json", "mailto", "other-https", "garbage"])
def test_not_a_robot(url):
    assert parse_robot(url) is None


@pytest.mark.parametrize("url, kind", [
    pytest.param("mailtos://user:pw@smtp.example.org?to=a@example.org", "email", id="mailtos"),
    pytest.param("json://127.0.0.1:8080/hook", "webhook", id="json"),
    pytest.param("form://127.0.0.1:8080/hook", "webhook", id="form"),
    pytest.param("tgram://123456789:ABCDEF/12345", "tgram", id="apprise-telegram"),
    pytest.param("wecom://K", "wecom", id="robot"),
])
def test_channel_kind(url, kind):
    assert channel_kind(url) == kind


@pytest.mark.parametrize("url", ["foo://bar", "dingtalk://", "nonsense"], ids=["unknown-scheme", "robot-no-token", "no-scheme"])
def test_channel_kind_refuses(url):
    with pytest.raises(UsageError):
        channel_kind(url)


# ---------------------------------------------------------------------------- masking

@pytest.mark.parametrize("url, shown", [
    pytest.param("mailtos://user:s3cretpw@smtp.example.org:465?to=a@example.org", "mailtos://smtp.example.org:465",
                 id="mail-password"),
    pytest.param("dingtalk://SECabc@TOKEN123", "dingtalk://oapi.dingtalk.com", id="dingtalk"),
    pytest.param("https://oapi.dingtalk.com/robot/send?access_token=TOKEN123", "https://oapi.dingtalk.com",
                 id="dingtalk-webhook"),
    pytest.param("wecom://KEY-1", "wecom://qyapi.weixin.qq.com", id="wecom"),
    pytest.param("feishu+http://127.0.0.1:9000/open-apis/bot/v2/hook/HOOK-1?secret=FS",
                 "feishu+http://127.0.0.1:9000", id="feishu-own-address"),
    pytest.param("json://user:pw@10.0.0.5:8080/path/TOKENPATH", "json://10.0.0.5:8080", id="json-with-auth"),
    pytest.param("tgram://123456789:ABCDEF/12345", "tgram://***", id="token-as-host"),
])
def test_mask_url(url, shown):
    assert mask_url(url) == shown


@pytest.mark.parametrize("text, url, secrets", [
    pytest.param("POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN123&sign=abc failed",
                 "dingtalk://SECabc@TOKEN123", ["TOKEN123", "SECabc", "sign=abc"], id="dingtalk-query"),
    pytest.param("cannot log in as user with s3cretpw", "mailtos://user:s3cretpw@smtp.example.org",
                 ["s3cretpw"], id="smtp-password"),
    pytest.param("hook https://open.feishu.cn/open-apis/bot/v2/hook/HOOK-9 said no", None, ["HOOK-9"],
                 id="feishu-hook-without-url"),
])
def test_redact(text, url, secrets):
    out = redact(text, url)
    assert not [s for s in secrets if s in out]
    assert "***" in out


# ---------------------------------------------------------------------------- robot replies

@pytest.mark.parametrize("kind, status, body, ok, transient", [
    pytest.param("dingtalk", 200, '{"errcode":0,"errmsg":"ok"}', True, False, id="ding-ok"),
    pytest.param("dingtalk", 200, '{"errcode":310000,"errmsg":"keywords not in content"}', False, False,
                 id="ding-keyword-permanent"),
    pytest.param("dingtalk", 200, '{"errcode":300001,"errmsg":"token is not exist"}', False, False,
                 id="ding-bad-token-permanent"),
    pytest.param("dingtalk", 200, '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}', False,
                 True, id="ding-rate-limit-transient"),
    pytest.param("dingtalk", 200, '{"errcode":-1,"errmsg":"系统繁忙"}', False, True, id="ding-busy-transient"),
    pytest.param("wecom", 200, '{"errcode":93000,"errmsg":"invalid webhook url"}', False, False, id="wecom-bad-key"),
    pytest.param("wecom", 200, '{"errcode":45009,"errmsg":"api freq out of limit"}', False, True, id="wecom-rate"),
    pytest.param("feishu", 200, '{"code":0,"data":{},"msg":"success"}', True, False, id="feishu-ok"),
    pytest.param("feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}', True, False, id="feishu-old-ok"),
    pytest.param("feishu", 200, '{"code":19021,"msg":"sign match fail"}', False, False, id="feishu-sign"),
    pytest.param("feishu", 400, '{"code":9499,"msg":"too many request","data":{}}', False, True, id="feishu-429ish"),
    pytest.param("feishu", 400, '{"code":9499,"msg":"Bad Request","data":{}}', False, False, id="feishu-bad-request"),
    pytest.param("dingtalk", 502, "<html>bad gateway</html>", False, True, id="http-5xx-transient"),
    pytest.param("dingtalk", 429, "", False, True, id="http-429-transient"),
    pytest.param("dingtalk", 404, "not found", False, False, id="http-404-permanent"),
    pytest.param("dingtalk", 200, "<html>proxy</html>", False, True, id="not-json-transient"),
])
def test_interpret(kind, status, body, ok, transient):
    v = interpret(kind, status, body)
    assert (v.ok, v.transient) == (ok, transient)


# ---------------------------------------------------------------------------- real peers

def test_dingtalk_signed_message_reaches_the_robot(http_peer):
    http_peer.check = dingtalk_check("T1", "SEC-ding")
    http_peer.default = DING_OK
    url = f"dingtalk+http://{http_peer.base}/robot/send?access_token=T1&secret=SEC-ding&keyword=提醒&at=13800000000"
    assert sender_for(url).send(MSG).ok
    body = http_peer.requests[0].json()
    assert body == {"msgtype": "text", "text": {"content": MSG.body},
                    "at": {"atMobiles": ["13800000000"], "isAtAll": False}}
    assert "secret" not in http_peer.requests[0].query and "keyword" not in http_peer.requests[0].query


@pytest.mark.parametrize("url_secret, reply, ok, transient, words", [
    pytest.param("WRONG", None, False, False, "310000", id="wrong-secret-310000-permanent"),
    pytest.param("SEC-ding", (200, '{"errcode":310000,"errmsg":"keywords not in content"}'), False, False,
                 "keywords not in content", id="keyword-310000-permanent"),
    pytest.param("SEC-ding", (200, '{"errcode":130101,"errmsg":"send too fast"}'), False, True, "130101",
                 id="rate-limited-transient"),
    pytest.param("SEC-ding", (503, "busy"), False, True, "HTTP 503", id="http-503-transient"),
])
def test_dingtalk_refusals(http_peer, url_secret, reply, ok, transient, words):
    http_peer.check = dingtalk_check("T1", "SEC-ding")
    http_peer.default = reply or DING_OK
    url = f"dingtalk+http://{http_peer.base}/robot/send?access_token=T1&secret={url_secret}"
    r = sender_for(url).send(MSG)
    assert (r.ok, r.transient) == (ok, transient)
    assert words in r.reason and "T1" not in r.reason.replace("HTTP", "") and url_secret not in r.reason


def test_robot_timeout_is_transient(http_peer):
    http_peer.delay = 1.5
    http_peer.default = DING_OK
    r = sender_for(f"dingtalk+http://{http_peer.base}/robot/send?access_token=T1", timeout=0.5).send(MSG)
    assert (r.ok, r.transient) == (False, True) and "超时" in r.reason


@pytest.mark.parametrize("secret, url_secret, ok", [
    pytest.param("FS-1", "FS-1", True, id="signed"),
    pytest.param(None, None, True, id="unsigned"),
    pytest.param("FS-1", "WRONG", False, id="wrong-secret-19021"),
])
def test_feishu_robot(http_peer, secret, url_secret, ok):
    http_peer.check = feishu_check(secret)
    http_peer.default = FEISHU_OK
    q = f"?secret={url_secret}" if url_secret else ""
    r = sender_for(f"feishu+http://{http_peer.base}/open-apis/bot/v2/hook/HOOK-1{q}").send(MSG)
    assert r.ok is ok
    body = http_peer.requests[0].json()
    assert http_peer.requests[0].path == "/open-apis/bot/v2/hook/HOOK-1"
    assert body["msg_type"] == "text" and body["content"] == {"text": MSG.body}
    if not ok:
        assert "19021" in r.reason and not r.transient


@pytest.mark.parametrize("reply, ok, transient", [
    pytest.param((200, '{"errcode":0,"errmsg":"ok"}'), True, False, id="ok"),
    pytest.param((200, '{"errcode":93000,"errmsg":"invalid webhook url"}'), False, False, id="bad-key"),
    pytest.param((200, '{"errcode":45009,"errmsg":"api freq out of limit"}'), False, True, id="rate"),
])
def test_wecom_robot(http_peer, reply, ok, transient):
    http_peer.default = reply
    r = sender_for(f"wecom+http://{http_peer.base}/cgi-bin/webhook/send?key=K-1").send(MSG)
    assert (r.ok, r.transient) == (ok, transient)
    req = http_peer.requests[0]
    assert req.query == {"key": ["K-1"]} and req.json() == {"msgtype": "text", "text": {"content": MSG.body}}


def test_json_webhook_receives_title_and_body(http_peer):
    r = sender_for(f"json://{http_peer.base}/richeng").send(MSG)
    assert r.ok
    req = http_peer.requests[0]
    assert req.path == "/richeng"
    assert {k: req.json()[k] for k in ("title", "message")} == {"title": MSG.title, "message": MSG.body}


@pytest.mark.parametrize("status, transient", [(503, True), (429, True), (404, False)], ids=["503", "429", "404"])
def test_json_webhook_failures(http_peer, status, transient):
    http_peer.default = (status, "no")
    r = sender_for(f"json://{http_peer.base}/richeng").send(MSG)
    assert (r.ok, r.transient) == (False, transient) and f"error={status}" in r.reason


def test_email_chinese_subject_and_body_intact(smtp_peer):
    url = f"mailto://127.0.0.1:{smtp_peer.port}?from=richeng@example.org&to=secretary@example.org"
    assert sender_for(url).send(MSG).ok
    [env] = smtp_peer.messages
    assert env.rcpt_tos == ["secretary@example.org"]
    msg = email.message_from_bytes(env.original_content, policy=email.policy.default)
    assert msg["subject"] == MSG.title
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n").strip() == MSG.body  # SMTP lines end in CRLF


def test_email_server_down_is_transient():
    from reminder_peers import free_port

    r = sender_for(f"mailto://127.0.0.1:{free_port()}?from=a@example.org&to=b@example.org", timeout=3).send(MSG)
    assert (r.ok, r.transient) == (False, True)


def test_masked_json_is_what_channel_list_shows():
    from scheduler.reminders.channels import Channel

    ch = Channel("ding", "dingtalk://SECabc@TOKEN123", "dingtalk", __import__("datetime").datetime(2026, 1, 1))
    text = json.dumps(ch.to_json())
    assert "TOKEN123" not in text and "SECabc" not in text and "oapi.dingtalk.com" in text
