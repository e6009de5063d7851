import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /t.js`: a small script a landing page includes to send `pageview` (automatically) and
/// `initiate_checkout` / any event (via `trackhub.track(...)`) with the `_fbp`/`_fbc` cookies,
/// the click id from the URL (`th_cid`, `sck`, `src`) and a shared event id for the browser pixel.
///
/// Usage:
/// ```html
/// <script src="https://track.example.com/t.js" data-tenant="acme" defer></script>
/// <script>
///   // before fbq('track','InitiateCheckout',{},{eventID:id}):
///   var id = trackhub.track('initiate_checkout', {user:{email:'…'}});
/// </script>
/// ```
enum TrackingScript {
    static let source = #"""
    (function(){
      var s=document.currentScript;if(!s)return;
      var base=s.src.replace(/\/t\.js(\?.*)?$/,''),tenant=s.getAttribute('data-tenant');
      function cookie(n){var m=document.cookie.match('(?:^|; )'+n+'=([^;]*)');return m?decodeURIComponent(m[1]):undefined;}
      function param(n){try{return new URL(location.href).searchParams.get(n)||undefined}catch(e){return undefined}}
      function rid(){var a=new Uint8Array(12);(window.crypto||{}).getRandomValues?crypto.getRandomValues(a):a.forEach(function(_,i){a[i]=Math.random()*256});return Array.prototype.map.call(a,function(b){return('0'+b.toString(16)).slice(-2)}).join('')}
      var cid=param('th_cid')||param('sck')||param('src');
      try{if(cid&&/^[0-9a-z]{26}$/.test(cid))sessionStorage.setItem('th_cid',cid);else cid=sessionStorage.getItem('th_cid')||undefined}catch(e){}
      var sid;try{sid=sessionStorage.getItem('th_sid');if(!sid){sid=rid();sessionStorage.setItem('th_sid',sid)}}catch(e){sid=rid()}
      function track(ev,extra){
        extra=extra||{};var id=extra.event_id||rid();
        var body={tenant:tenant,event_id:id,click_id:cid,session_id:sid,page_url:location.href,
          referrer:document.referrer||undefined,fbp:cookie('_fbp'),fbc:cookie('_fbc')};
        for(var k in extra)body[k]=extra[k];
        var data=JSON.stringify(body),url=base+'/track/'+ev;
        if(navigator.sendBeacon&&navigator.sendBeacon(url,new Blob([data],{type:'text/plain'})))return id;
        fetch(url,{method:'POST',headers:{'Content-Type':'application/json'},body:data,keepalive:true,mode:'cors'});
        return id;
      }
      window.trackhub={track:track,clickId:cid,sessionId:sid};
      if(s.getAttribute('data-auto-pageview')!=='false')window.trackhub.pageviewEventId=track('pageview');
    })();
    """#

    static func handle(_ request: Request, context: IngestRequestContext) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/javascript; charset=utf-8"
        headers[.cacheControl] = "public, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: source)))
    }
}
