import HTTPTypes
import Hummingbird
import NIOCore
import TrackhubCore

/// `GET /t.js`: the one script a landing page includes. It keeps the click id alive from the
/// `/go` redirect to the checkout, where most funnels used to lose it, and sends the page's
/// funnel events to `/track`.
///
/// What it does (docs/API.md has the seller's copy-paste snippet in pt-BR and English):
/// - reads the click id from the URL (`th_cid`, `sck`, `src`, a 26-character ULID) and the six
///   `utm_*` values; keeps them for the attribution window (`data-window-days`, default 30) in
///   `localStorage` (`th_attr`: id, UTMs, the click's time) and the click id also in a
///   first-party cookie `th_cid` (read when storage was cleared), so a return visit days later
///   still has them; `/t.js?t=<tenant>` bakes in the tenant's configured window, id and hosts;
/// - decorates every link and form to a known checkout (``checkoutHosts`` plus the page's
///   `data-checkout-hosts="host=param …"`) with the click id in the parameter that gateway echoes
///   back in its webhook, and the kept UTMs the link does not set: links present at load, links
///   added later (MutationObserver), again at click and submit time (links changed by script);
///   `trackhub.decorate(url)` for pages that navigate by script. A value the link already has in
///   that parameter is kept and the id appended (`bio_<id>`; the matcher finds the id inside);
/// - sends `pageview` automatically and any event with `trackhub.track(event, extra)`, with the
///   `_fbp`/`_fbc` cookies and a shared event id for the browser pixel.
///
/// Written by hand in a minified style, with no build step: at most ``maxBytes`` served. It
/// never throws into the page (everything is inside `try`) and degrades on old browsers (no
/// `MutationObserver`, no `closest`, no storage) to whatever still works.
enum TrackingScript {
    /// The size budget of the served script, checked by a test.
    static let maxBytes = 3 * 1024

    /// Checkout hosts (a host or any subdomain of it) and the parameter each gateway hands back
    /// in its webhook: ``CheckoutHost/scriptList``, the list the console's page check uses too.
    static let checkoutHosts = CheckoutHost.scriptList

    /// The script without a tenant's settings (`/t.js`): the page's `data-*` attributes only.
    static let source = render()

    /// The script with a tenant's settings baked in (`/t.js?t=<tenant>`): its id (so the tag
    /// needs no `data-tenant`), its own checkout hosts (`host=param …`, each followed by a space; validated by
    /// `dispatchd apply` to `[a-z0-9.-]=[A-Za-z0-9_]`, so they are safe inside a JS string) and its
    /// attribution window. The tag's `data-*` attributes still win, page by page.
    static func render(tenant: String = "", hosts: String = "", windowDays: Int = 30) -> String {
        #"""
(function(w,d,L){try{var s=d.currentScript,N=+new Date,i,k,v,u,H=[],t=N,M={},c,q=L.search.slice(1),O=/^[0-7][0-9a-z]{25}$/,G;if(!s)return;function A(n){return s.getAttribute('data-'+n)}function D(x){try{return decodeURIComponent(x.replace(/\+/g,' '))}catch(e){return x}}function Q(q,n,x){return(x=('&'+q).match('&'+n+'=([^&#]*)'))?D(x[1]):''}function C(n){return Q(d.cookie.replace(/; /g,'&'),n)}function S(t,x,y){try{t=w[t+'Storage'];if(!y)return t.getItem(x);t.setItem(x,y)}catch(e){}}function I(){return N.toString(36)+Math.random().toString(36).slice(2)}var B=s.src.replace(/\/t\.js.*/,''),T=A('tenant')||'\#(tenant)',W=(A('window-days')||\#(windowDays))*864e5;c=Q(q,'th_cid')||Q(q,'sck')||Q(q,'src');v=(A('checkout-hosts')+' \#(hosts)\#(checkoutHosts)').split(/[\s,]+/);for(i=0;i<v.length;i++)H[i]=v[i].split('=');v='source medium campaign content term id'.split(' ');for(i=0;i<6;i++)if(u=Q(q,k='utm_'+v[i]))M[k]=u;if(!O.test(c)){try{v=JSON.parse(S('local','th_attr'))}catch(e){v=0}v?N-v.t<W&&(c=v.c,t=v.t,/utm_/.test(q)||(M=v.u)):c=C('th_cid')}if(O.test(c)){d.cookie='th_cid='+c+';path=/;samesite=lax;max-age='+((t+W-N)/1e3|0);S('local','th_attr',JSON.stringify({c:c,u:M,t:t}))}else c=void 0;G=S('session','th_sid')||I();S('session','th_sid',G);function P(h){for(var j=0,r;j<H.length;j++)if(h==(r=H[j][0])||h.slice(-r.length-1)=='.'+r)return H[j][1]}function K(u){var a=d.createElement('a');a.href=u;return a}function X(u){try{var a=K(u),p=P(a.hostname),q=a.search.slice(1),o,n;if(!p)return u;for(n in M)Q(q,n)||(q+=(q?'&':'')+n+'='+encodeURIComponent(M[n]));if(c&&(o=Q(q,p)).indexOf(c)<0)q=q.replace(RegExp('(^|&)'+p+'=[^&]*','g'),'').replace(/^&/,''),q+=(q?'&':'')+p+'='+encodeURIComponent(o&&!O.test(o)?o+'_'+c:c);a.search=q;return a.href}catch(e){return u}}function F(e){try{var g=e.tagName,u,n,j,f;if(g=='A'&&(n=X(e.href))!=e.href)e.href=n;if(g=='FORM'&&(u=e.getAttribute('action'))&&(n=X(u))!=u)if(e.method=='post')e.setAttribute('action',n);else for(n=K(n).search.slice(1).split('&'),j=0;j<n.length;j++)k=n[j].split('='),!e[k[0]]&&(f=d.createElement('input'),f.type='hidden',f.name=k[0],f.value=D(k[1]),e.appendChild(f))}catch(x){}}function Y(r){if(r.querySelectorAll){F(r);for(var l=r.querySelectorAll('a[href],form'),j=0;j<l.length;j++)F(l[j])}}function Z(e){try{F(e.target.closest('a,form'))}catch(x){}}function R(e,x){x=x||{};var id=x.event_id||I(),b={tenant:T,event_id:id,click_id:c,session_id:G,page_url:L.href,referrer:d.referrer,fbp:C('_fbp'),fbc:C('_fbc')},n=navigator,y,u=B+'/track/'+e;try{for(k in x)b[k]=x[k];y=JSON.stringify(b);n.sendBeacon&&n.sendBeacon(u,y)||fetch(u,{method:'POST',body:y,keepalive:!0})}catch(e){}return id}v=w.trackhub={track:R,clickId:c,sessionId:G,utm:M,decorate:X};for(k in{click:1,submit:1})d.addEventListener(k,Z,!0);Y(d);w.MutationObserver&&new MutationObserver(function(l){for(var j=0;j<l.length;j++)Y(l[j].target)}).observe(d,{childList:!0,subtree:!0});if(A('auto-pageview')!='false')v.pageviewEventId=R('pageview')}catch(e){}})(window,document,location);
"""#
    }

    /// `/t.js`, or with `?t=<tenant>` that tenant's script (an unknown tenant gets the generic
    /// one: the page still works, and `/track` names the problem). Only values from the
    /// snapshot go into the script, never the query itself.
    static func handle(_ request: Request, snapshot: CompiledSnapshot?) -> Response {
        var body = source
        if let id = request.uri.queryParameters["t"].map(String.init), let tenant = snapshot?.tenants[id] {
            body = render(tenant: tenant.id, hosts: tenant.checkoutHosts.map { $0 + " " }.joined(),
                          windowDays: tenant.attributionWindowDays ?? 30)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/javascript; charset=utf-8"
        headers[.cacheControl] = "public, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
