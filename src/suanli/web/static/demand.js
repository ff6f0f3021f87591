// The /demand dashboard page: demand vs supply with scenario sliders (see suanli/web/demand.py).
(function(){
const T={zh:{scen:"情景",tg:"Token增长（相对官方路径的增长指数）",ss:"小模型服务的Token占比",mf:"MFU倍数（训练、预填充、解码）",
 cv:"训练目录覆盖倍数",note:"情景为中心参数下的单次计算；灰色带为构建时蒙特卡洛90%区间。",title:"算力需求与装机供给",
 supply:"装机智能算力（供给）",demand:"需求（构建中位数）",band:"需求90%区间",scen_d:"情景需求",util:"隐含利用率",
 util_b:"构建中位数",util_s:"情景",year:"年份",tr:"训练",inf:"推理",dem:"需求",sup:"供给",u:"利用率",share:"推理占比",
 sens:"影响利用率最多的参数",p:"参数",v:"秩方差占比",syn:"供给来自合成出货数据（synthetic），需求为模型估计（modelled）。",
 none:"该构建没有需求数据表。",nav_o:"概览",nav_d:"算力需求"},
 en:{scen:"Scenario",tg:"Token growth (exponent on the official path's growth)",ss:"Share of tokens served by small models",
 mf:"MFU multiplier (training, prefill, decode)",cv:"Training catalogue coverage",note:"The scenario is one evaluation at the central parameters; the grey band is the build's 90% Monte Carlo interval.",
 title:"Compute demand vs installed supply",supply:"Installed intelligent compute (supply)",demand:"Demand (build median)",
 band:"Demand 90% interval",scen_d:"Scenario demand",util:"Implied utilisation",util_b:"build median",util_s:"scenario",year:"Year",
 tr:"Training",inf:"Inference",dem:"Demand",sup:"Supply",u:"Utilisation",share:"Inference share",sens:"Parameters that move utilisation most",
 p:"Parameter",v:"Share of rank variance",syn:"Supply comes from synthetic shipments (synthetic); demand is modelled.",none:"This build has no demand tables.",nav_o:"Overview",nav_d:"Demand"}};
const q=new URLSearchParams(location.search);let lang=q.get("lang")==="en"?"en":"zh";
let token=sessionStorage.getItem("suanli.token")||"";
const $=(id)=>document.getElementById(id);const t=(k)=>T[lang][k]||k;
function hdr(){const h={};if(token)h["X-Suanli-Token"]=token;return h;}
async function get(u){const r=await fetch(u,{headers:hdr()});if(!r.ok){const j=await r.json().catch(()=>({}));throw new Error(j.detail||r.statusText);}return r.json();}
function fmt(x,d){return x==null?"—":Number(x).toLocaleString(lang==="zh"?"zh-CN":"en",{maximumFractionDigits:d,minimumFractionDigits:d});}
function pct(x){return x==null?"—":fmt(100*x,1)+"%";}
function td(tag,txt){const e=document.createElement(tag);e.textContent=txt;return e;}
let base=null,timer=null;
function i18n(){document.documentElement.lang=lang==="zh"?"zh-CN":"en";$("lang").textContent=lang==="zh"?"EN":"中文";
 $("nav-overview").href="/?lang="+lang;
 document.querySelectorAll("[data-t]").forEach(e=>{e.textContent=t(e.dataset.t);});}
function draw(s){const ds=base.demand_supply;const yrs=ds.map(r=>r.year);
 const tr=[{x:yrs,y:ds.map(r=>r.demand_eflops_hi),line:{width:0},showlegend:false,hoverinfo:"skip",type:"scatter"},
  {x:yrs,y:ds.map(r=>r.demand_eflops_lo),fill:"tonexty",fillcolor:"rgba(120,120,120,.25)",line:{width:0},name:t("band"),type:"scatter"},
  {x:yrs,y:ds.map(r=>r.demand_eflops),name:t("demand"),type:"scatter",line:{color:"#555"}},
  {x:yrs,y:ds.map(r=>r.supply_eflops),name:t("supply"),type:"scatter",line:{color:"#1f77b4"}},
  {x:s.years,y:s.series.demand_eflops,name:t("scen_d"),type:"scatter",line:{color:"#d62728",dash:"dot"}}];
 const lay={margin:{t:10,r:10,b:40,l:60},yaxis:{title:"EFLOPS"},legend:{orientation:"h"},xaxis:{dtick:1}};
 Plotly.react($("chart"),tr,lay,{displayModeBar:false,responsive:true});
 const ut=[{x:yrs,y:ds.map(r=>r.implied_utilisation_hi),line:{width:0},showlegend:false,hoverinfo:"skip",type:"scatter"},
  {x:yrs,y:ds.map(r=>r.implied_utilisation_lo),fill:"tonexty",fillcolor:"rgba(120,120,120,.25)",line:{width:0},name:"90%",type:"scatter"},
  {x:yrs,y:ds.map(r=>r.implied_utilisation),name:t("util_b"),type:"scatter",line:{color:"#555"}},
  {x:s.years,y:s.series.implied_utilisation,name:t("util_s"),type:"scatter",line:{color:"#d62728",dash:"dot"}}];
 Plotly.react($("uchart"),ut,{margin:{t:10,r:10,b:40,l:60},yaxis:{title:t("util"),tickformat:".0%"},legend:{orientation:"h"},xaxis:{dtick:1}},{displayModeBar:false,responsive:true});
 const tb=document.createElement("table");const hr=document.createElement("tr");
 for(const h of [t("year"),t("tr"),t("inf"),t("dem"),t("sup"),t("u"),t("share")])hr.append(td("th",h));tb.append(hr);
 s.years.forEach((y,i)=>{const r=document.createElement("tr");const S=s.series;
  for(const v of [String(y),fmt(S.training_eflops[i],1),fmt(S.inference_eflops[i],1),fmt(S.demand_eflops[i],1),fmt(S.supply_eflops[i],1),pct(S.implied_utilisation[i]),pct(S.inference_share[i])])r.append(td("td",v));tb.append(r);});
 $("table").replaceChildren(tb);
 const se=(base.demand_sensitivity||[]);const last=Math.max(...se.map(r=>r.year));const st=document.createElement("table");
 const h2=document.createElement("tr");h2.append(td("th",t("p")),td("th",t("v")));st.append(h2);
 se.filter(r=>r.year===last).sort((a,b)=>a.rank-b.rank).slice(0,6).forEach(r=>{const tr_=document.createElement("tr");tr_.append(td("td",lang==="zh"?r.label_zh:r.label_en),td("td",pct(r.share_of_rank_variance)));st.append(tr_);});
 const cap=document.createElement("caption");cap.textContent=t("sens")+" ("+last+")";st.prepend(cap);$("sens").replaceChildren(st);}
async function update(){const p=new URLSearchParams({token_growth:$("tg").value,small_share:$("ss").value,mfu:$("mf").value,coverage:$("cv").value});
 $("tg-v").textContent=fmt($("tg").value,2);$("ss-v").textContent=pct(+$("ss").value);$("mf-v").textContent=fmt($("mf").value,2)+"×";$("cv-v").textContent=fmt($("cv").value,1)+"×";
 try{const s=await get("/api/demand/scenario?"+p.toString());$("error").hidden=true;draw(s);}catch(e){$("error").textContent=String(e.message||e);$("error").hidden=false;}}
async function init(){i18n();try{base=await get("/api/demand");}catch(e){$("error").textContent=t("none")+" "+String(e.message||e);$("error").hidden=false;return;}
 const par=Object.fromEntries((base.demand_parameters||[]).map(r=>[r.parameter,r]));
 if(par.mix_share_0){const tot=(base.demand_parameters||[]).filter(r=>r.parameter.startsWith("mix_share_")).reduce((a,r)=>a+r.value,0);$("ss").value=par.mix_share_0.value/tot;}
 if(par.coverage)$("cv").value=par.coverage.value;
 if((base.demand_supply||[]).some(r=>r.value_class==="synthetic")){$("dm-banner").textContent=t("syn");$("dm-banner").hidden=false;}
 for(const id of ["tg","ss","mf","cv"])$(id).addEventListener("input",()=>{clearTimeout(timer);timer=setTimeout(update,80);});
 await update();}
$("lang").addEventListener("click",()=>{lang=lang==="zh"?"en":"zh";const u=new URL(location.href);u.searchParams.set("lang",lang);history.replaceState(null,"",u);i18n();if(base)update();});
window.addEventListener("DOMContentLoaded",init);
})();
