<?xml version="1.0" encoding="UTF-8"?>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0"
  xmlns:gen="http://www.opengis.net/citygml/generics/2.0" xmlns:gml="http://www.opengis.net/gml">
 <core:cityObjectMember>
  <bldg:Building gml:id="B1">
   <gml:name>Box</gml:name>
   <gen:stringAttribute name="owner"><gen:value>city</gen:value></gen:stringAttribute>
   <bldg:yearOfConstruction>1987</bldg:yearOfConstruction>
   <bldg:measuredHeight uom="m">12.5</bldg:measuredHeight>
   <bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">
     0 0 4  0 6 4  10 6 4  10 0 4  0 0 4</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">
     0 0 16  10 0 16  10 6 16  0 6 16  0 0 16</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>
     <gml:pos>0 0 4</gml:pos><gml:pos>10 0 4</gml:pos><gml:pos>10 0 16</gml:pos><gml:pos>0 0 16</gml:pos><gml:pos>0 0 4</gml:pos>
     </gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>
     10 0 4  10 6 4  10 6 16  10 0 16  10 0 4</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>
     10 6 4  0 6 4  0 6 16  10 6 16  10 6 4</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>
     0 6 4  0 0 4  0 0 16  0 6 16  0 6 4</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
   </gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>
   <bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="B1-P1">
    <bldg:lod1MultiSurface><gml:MultiSurface>
     <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>
      1 1 16  3 1 16  3 3 16  1 3 16  1 1 16</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
     <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>
      1 1 19  3 1 19  3 3 19  1 3 19  1 1 19</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    </gml:MultiSurface></bldg:lod1MultiSurface>
   </bldg:BuildingPart></bldg:consistsOfBuildingPart>
  </bldg:Building>
 </core:cityObjectMember>
</core:CityModel>
